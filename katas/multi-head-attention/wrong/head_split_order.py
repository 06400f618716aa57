"""Splits heads by reshaping straight to (B, H, L, Dh), which mixes positions and features.
直接 reshape 成 (B, H, L, Dh) 来拆分各个头，把位置和特征搅在了一起。
"""
import math

import numpy as np


def multi_head_attention(x, Wq, Wk, Wv, Wo, n_heads, causal=False):
    b, length, d = x.shape
    dh = d // n_heads

    def split(t):
        return t.reshape(b, n_heads, length, dh)

    q, k, v = split(x @ Wq), split(x @ Wk), split(x @ Wv)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
    if causal:
        scores = np.where(np.tril(np.ones((length, length), dtype=bool)), scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = weights @ v
    return heads.reshape(b, length, d) @ Wo
