"""Uses 2^(-8 (h + 1) / H) for every H, ignoring the paper's rule for head counts that are not powers of two.
对所有 H 都用 2^(-8 (h + 1) / H)，忽略了论文对 H 不是 2 的幂时的规则。
"""
import numpy as np


def alibi_bias(n_heads, L):
    slopes = 2.0 ** (-8.0 * np.arange(1, n_heads + 1) / n_heads)
    i, j = np.arange(L)[:, None], np.arange(L)[None, :]
    return np.where(j <= i, slopes[:, None, None] * (j - i), -np.inf)
