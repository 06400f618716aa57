"""For H not a power of two, takes every other slope of the 2n-head sequence starting at entry 1 ([1::2]) instead of entry 0 ([0::2]).
H 不是 2 的幂时，从 2n 个头的斜率序列的第 1 个开始隔一个取一个（[1::2]），而不是从第 0 个开始（[0::2]）。
"""
import math

import numpy as np


def _slopes(h):
    if h & (h - 1) == 0:
        return 2.0 ** (-8.0 * np.arange(1, h + 1) / h)
    n = 2 ** math.floor(math.log2(h))
    return np.concatenate([_slopes(n), _slopes(2 * n)[1::2][: h - n]])


def alibi_bias(n_heads, L):
    i, j = np.arange(L)[:, None], np.arange(L)[None, :]
    return np.where(j <= i, _slopes(n_heads)[:, None, None] * (j - i), -np.inf)
