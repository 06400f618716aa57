"""Sigmoid as exp(z) / (1 + exp(z)): inf / inf = nan for large positive logits.
sigmoid 写成 exp(z) / (1 + exp(z))：logit 很大时 inf / inf = nan。
"""
import numpy as np


def two_layer_net(x, W1, b1, W2, b2):
    h = np.maximum(x @ W1 + b1, 0)
    z = h @ W2 + b2
    return np.exp(z) / (1 + np.exp(z))
