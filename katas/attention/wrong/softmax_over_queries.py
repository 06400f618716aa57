"""Normalises over the queries (axis -2) instead of over the keys.
在查询维（axis -2）上归一化，而不是在键上。
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d).astype(q.dtype)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = np.where(np.isinf(scores), -1e300, scores)
    scores = scores - scores.max(axis=-2, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-2, keepdims=True)
    return weights @ v, weights
