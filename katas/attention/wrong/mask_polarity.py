"""Reads the mask the other way round: blocks the positions marked True."""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d)) v over the last two axes, with any leading batch/head axes.

    q: (..., Lq, d), k: (..., Lk, d), v: (..., Lk, dv); mask: bool, broadcastable to (..., Lq, Lk),
    True where a query may attend. Returns (out (..., Lq, dv), weights (..., Lq, Lk)).
    """
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d).astype(q.dtype)
    if mask is not None:
        scores = np.where(mask, -np.inf, scores)
        scores = np.where(np.all(np.isinf(scores), axis=-1, keepdims=True), 0.0, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
