"""For H not a power of two, takes the first H - n slopes of the 2n-head sequence instead of every other one.
H 不是 2 的幂时，直接取 2n 个头的斜率序列的前 H - n 个，而不是隔一个取一个。
"""
import math

import numpy as np


def _slopes(h):
    if h & (h - 1) == 0:
        return 2.0 ** (-8.0 * np.arange(1, h + 1) / h)
    n = 2 ** math.floor(math.log2(h))
    return np.concatenate([_slopes(n), _slopes(2 * n)[: h - n]])


def alibi_bias(n_heads, L):
    i, j = np.arange(L)[:, None], np.arange(L)[None, :]
    return np.where(j <= i, _slopes(n_heads)[:, None, None] * (j - i), -np.inf)
