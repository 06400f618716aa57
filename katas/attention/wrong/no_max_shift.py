"""Exponentiates the raw scores without subtracting the row maximum.
直接对原始分数求指数，没有先减去每行的最大值。
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d).astype(q.dtype)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
