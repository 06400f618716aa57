"""Numbers the heads from 0 in the exponent: m_h = 2^(-8h/H), so the first slope is 1 and the last is not 2^-8.
指数里的头编号从 0 开始：m_h = 2^(-8h/H)，于是第一个斜率为 1，最后一个也不是 2^-8。
"""
import math

import numpy as np


def _slopes(h):
    if h & (h - 1) == 0:
        return 2.0 ** (-8.0 * np.arange(h) / h)
    n = 2 ** math.floor(math.log2(h))
    return np.concatenate([_slopes(n), _slopes(2 * n)[0::2][: h - n]])


def alibi_bias(n_heads, L):
    i, j = np.arange(L)[:, None], np.arange(L)[None, :]
    return np.where(j <= i, _slopes(n_heads)[:, None, None] * (j - i), -np.inf)
