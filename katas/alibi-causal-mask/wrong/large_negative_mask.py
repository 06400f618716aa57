"""Masks with -1e9 instead of -inf above the diagonal.
对角线上方用 -1e9 屏蔽，而不是 -inf。
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
    return np.where(j <= i, _slopes(n_heads)[:, None, None] * (j - i), -1e9)
