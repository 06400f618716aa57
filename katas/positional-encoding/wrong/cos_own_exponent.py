"""Gives every column its own exponent 10000^(j/d): the cosine column 2i + 1 uses (2i + 1)/d instead of its pair's 2i/d.
每一列各用自己的指数 10000^(j/d)：cos 所在的第 2i + 1 列用了 (2i + 1)/d，而不是所在那一对的 2i/d。
"""
import numpy as np


def sinusoidal_positions(T, d):
    pos = np.arange(T, dtype=np.float64)[:, None]
    div = 10000.0 ** (np.arange(d, dtype=np.float64) / d)
    pe = np.empty((T, d))
    pe[:, 0::2] = np.sin(pos / div[0::2])
    pe[:, 1::2] = np.cos(pos / div[1::2])
    return pe
