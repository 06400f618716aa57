"""Frequencies base^(-i/Dh) instead of base^(-2i/Dh): the slowest pair rotates far too fast.
频率写成 base^(-i/Dh)，而不是 base^(-2i/Dh)：最慢的那一对转得太快了。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = (offset + np.arange(length))[:, None] * base ** (-np.arange(dh // 2) / dh)
    cos, sin = np.cos(angles), np.sin(angles)

    def rotate(x):
        x1, x2 = x[..., : dh // 2], x[..., dh // 2:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1).astype(x.dtype)

    return rotate(q), rotate(k)
