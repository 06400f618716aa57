import numpy as np


def alibi_bias(n_heads, L):
    """Causal ALiBi attention bias for n_heads heads and L positions.

    Returns a float64 array (H, L, L): bias[h, i, j] = -m_h * (i - j) for j <= i and -inf for j > i.
    """
    raise NotImplementedError("write alibi_bias")
