"""Masks the diagonal too (np.triu with k=0): a query cannot attend to itself and row 0 is all -inf.
把对角线也屏蔽了（np.triu 用了 k=0）：查询看不到自己，第 0 行全是 -inf。
"""
import math

import numpy as np


def _slopes(h):
    if h & (h - 1) == 0:
        return 2.0 ** (-8.0 * np.arange(1, h + 1) / h)
    n = 2 ** math.floor(math.log2(h))
    return np.concatenate([_slopes(n), _slopes(2 * n)[0::2][: h - n]])


def alibi_bias(n_heads, L):
    i, j = np.arange(L)[:, None], np.arange(L)[None, :]
    bias = _slopes(n_heads)[:, None, None] * (j - i)
    return np.where(np.triu(np.ones((L, L), dtype=bool), 0), -np.inf, bias)
