"""Uses the interleaved layout: pairs (x[2i], x[2i + 1]) instead of the half-split pairs (x[i], x[i + Dh/2]).
用了相邻交错布局：配对 (x[2i], x[2i + 1])，而不是前后两半配对 (x[i], x[i + Dh/2])。
"""
import numpy as np


def _rotate(x, cos, sin):
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin
    out[..., 1::2] = x2 * cos + x1 * sin
    return out


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = (offset + np.arange(length))[:, None] * base ** (-np.arange(0, dh, 2) / dh)
    return _rotate(q, np.cos(angles), np.sin(angles)), _rotate(k, np.cos(angles), np.sin(angles))
