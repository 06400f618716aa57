"""Subtracts one global maximum instead of each row's maximum: low-scale rows underflow to 0/0.
减去的是整个数组的一个全局最大值，而不是每行各自的最大值：尺度小的行下溢成 0/0。
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1]).astype(q.dtype)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = np.exp(scores - scores.max())
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
