import math

import numpy as np


def alibi_slopes(n_heads):
    """The ALiBi slopes of Press et al. (2022), as in the paper's reference code.

    H a power of two: 2^(-8/H), 2^(-16/H), ..., 2^(-8). Otherwise, with n the largest power of two below H:
    the n slopes for n heads, then every other slope of the 2n-head sequence, the first H - n of them.
    """
    if n_heads & (n_heads - 1) == 0:
        return 2.0 ** (-8.0 * np.arange(1, n_heads + 1) / n_heads)
    n = 2 ** math.floor(math.log2(n_heads))
    return np.concatenate([alibi_slopes(n), alibi_slopes(2 * n)[0::2][: n_heads - n]])


def alibi_bias(n_heads, L):
    """Causal ALiBi bias (H, L, L): -m_h * (i - j) for key j <= query i, -inf for j > i."""
    i = np.arange(L)[:, None]
    j = np.arange(L)[None, :]
    distance = (j - i).astype(np.float64)  # <= 0 on and below the diagonal
    bias = alibi_slopes(n_heads)[:, None, None] * distance  # (H, L, L)
    return np.where(j <= i, bias, -np.inf)
