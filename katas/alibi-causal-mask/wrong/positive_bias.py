"""Gets the sign wrong: bias = +m * (i - j), which rewards distant keys instead of penalising them.
符号写反了：bias = +m * (i - j)，距离越远反而加分，而不是扣分。
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
    return np.where(j <= i, _slopes(n_heads)[:, None, None] * (i - j), -np.inf)
