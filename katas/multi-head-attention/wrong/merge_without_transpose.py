"""Splits correctly but merges the heads by reshaping (B, H, L, Dh) to (B, L, D) without transposing back.
拆分正确，但合并时把 (B, H, L, Dh) 直接 reshape 成 (B, L, D)，没有先 transpose 回去。
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
        scores = np.where(np.tril(np.ones((length, length), dtype=bool)), scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = weights @ v
    return heads.reshape(b, length, d) @ Wo
