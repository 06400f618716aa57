"""Exponentiates the raw scores without subtracting each row's maximum (overflows for large scores).
直接对原始分数求指数，没有先减去每行的最大值（分数大时溢出）。
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
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = weights @ v
    return heads.transpose(0, 2, 1, 3).reshape(b, length, d) @ Wo
