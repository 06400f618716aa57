"""Uses 10000^(i/d) with i counting columns instead of 10000^(2i/d) per pair.
用了 10000^(i/d)（i 按列计数），而不是每对列一个的 10000^(2i/d)。
"""
import numpy as np


def sinusoidal_positions(T, d):
    """Sinusoidal positional encodings (Vaswani et al., 2017): (T, d) float64, d even.

    PE[pos, 2i] = sin(pos / 10000^(2i/d)),  PE[pos, 2i+1] = cos(pos / 10000^(2i/d)),  pos = 0 .. T-1.
    """
    pos = np.arange(T, dtype=np.float64)[:, None]
    freq = 10000.0 ** (-np.arange(0, d // 2, dtype=np.float64) / d)  # one frequency per (sin, cos) pair
    angles = pos * freq
    pe = np.empty((T, d))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe
