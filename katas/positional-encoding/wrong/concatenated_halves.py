"""Puts all the sines in the first half and all the cosines in the second half.
把所有 sin 放在前半部分、所有 cos 放在后半部分。
"""
import numpy as np


def sinusoidal_positions(T, d):
    """Sinusoidal positional encodings (Vaswani et al., 2017): (T, d) float64, d even.

    PE[pos, 2i] = sin(pos / 10000^(2i/d)),  PE[pos, 2i+1] = cos(pos / 10000^(2i/d)),  pos = 0 .. T-1.
    """
    pos = np.arange(T, dtype=np.float64)[:, None]
    freq = 10000.0 ** (-np.arange(0, d, 2, dtype=np.float64) / d)  # one frequency per (sin, cos) pair
    angles = pos * freq
    pe = np.empty((T, d))
    pe[:, : d // 2] = np.sin(angles)
    pe[:, d // 2 :] = np.cos(angles)
    return pe
