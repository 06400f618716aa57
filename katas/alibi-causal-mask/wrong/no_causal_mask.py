"""Forgets the causal mask: the symmetric -m * |i - j| everywhere, so queries see later keys.
忘了因果掩码：到处都是对称的 -m * |i - j|，查询能看到后面的键。
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
    return -_slopes(n_heads)[:, None, None] * np.abs(i - j).astype(np.float64)
