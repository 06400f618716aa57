"""Forgets the 1/sqrt(d) scale."""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d)) v over the last two axes, with any leading batch/head axes.

    q: (..., Lq, d), k: (..., Lk, d), v: (..., Lk, dv); mask: bool, broadcastable to (..., Lq, Lk),
    True where a query may attend. Returns (out (..., Lq, dv), weights (..., Lq, Lk)).
    """
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
