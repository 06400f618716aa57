import numpy as np


def moe_route(logits, k):
    """Top-k mixture-of-experts routing from router logits (T, E), 1 <= k <= E.

    Returns (indices, gates, aux_loss):
      indices  (T, k) integer array, each token's k experts, highest logit first (ties: lower index first)
      gates    (T, k), the chosen experts' softmax probabilities renormalised to sum to 1 per token
      aux_loss Python float, E * sum_i f_i * P_i (f_i: share of the T*k assignments going to expert i,
               P_i: mean over tokens of the full softmax probability of expert i)
    """
    raise NotImplementedError("write moe_route")
