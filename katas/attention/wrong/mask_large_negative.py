"""Masks by adding -1e4 to the scores instead of setting them to -inf: a masked key wins when every allowed score is below -1e4.
用给分数加 -1e4 代替设为 -inf 来屏蔽：当所有允许的分数都低于 -1e4 时，被屏蔽的键反而占了全部权重。
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d).astype(q.dtype)
    if mask is not None:
        scores = scores + np.where(mask, 0.0, -1e4).astype(q.dtype)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
