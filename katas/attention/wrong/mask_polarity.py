"""Reads the mask the other way round: blocks the positions marked True.
把掩码的方向读反了：屏蔽了标记为 True 的位置。
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d).astype(q.dtype)
    if mask is not None:
        scores = np.where(mask, -np.inf, scores)
        scores = np.where(np.all(np.isinf(scores), axis=-1, keepdims=True), 0.0, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
