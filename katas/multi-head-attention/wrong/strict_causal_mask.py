"""Causal mask without the diagonal (j < i): position 0 may attend to nothing, its softmax row is 0/0 (NaN).
因果掩码漏掉了对角线（用了 j < i）：位置 0 一个键也不能关注，它那一行 softmax 成了 0/0（NaN）。
"""
import math

import numpy as np


def multi_head_attention(x, Wq, Wk, Wv, Wo, n_heads, causal=False):
    b, length, d = x.shape
    dh = d // n_heads

    def split(t):
        return t.reshape(b, length, n_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(x @ Wq), split(x @ Wk), split(x @ Wv)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
    if causal:
        scores = np.where(np.tril(np.ones((length, length), dtype=bool), -1), scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = weights @ v
    return heads.transpose(0, 2, 1, 3).reshape(b, length, d) @ Wo
