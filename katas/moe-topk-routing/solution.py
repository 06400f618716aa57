import numpy as np


def moe_route(logits, k):
    """Top-k routing of T tokens over E experts from router logits (T, E).

    Returns (indices, gates, aux_loss): indices (T, k) int64, best expert first (ties to the lower
    index); gates (T, k), the softmax probabilities of the chosen experts renormalised to sum to 1 per
    token; aux_loss = E * sum_i f_i * P_i (f_i: share of the T*k assignments, P_i: mean probability).
    """
    t, e = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    # stable sort of the negated logits: larger logits first, equal logits keep the lower index first
    indices = np.argsort(-logits, axis=1, kind="stable")[:, :k].astype(np.int64)
    chosen = np.take_along_axis(shifted, indices, axis=1)
    gates = np.exp(chosen - chosen[:, :1])  # softmax over the chosen logits = renormalised probabilities
    gates /= gates.sum(axis=1, keepdims=True)
    f = np.bincount(indices.ravel(), minlength=e) / (t * k)
    p = probs.mean(axis=0)
    return indices, gates, float(e * np.sum(f * p))
