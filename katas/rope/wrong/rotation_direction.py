"""Rotates the other way: out[i] = x[i] cos + x[i + Dh/2] sin (the sign of sin flipped).
旋转方向反了：out[i] = x[i] cos + x[i + Dh/2] sin（sin 的符号反了）。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = (offset + np.arange(length))[:, None] * base ** (-np.arange(0, dh, 2) / dh)
    cos, sin = np.cos(angles), np.sin(angles)

    def rotate(x):
        x1, x2 = x[..., : dh // 2], x[..., dh // 2:]
        return np.concatenate([x1 * cos + x2 * sin, x2 * cos - x1 * sin], axis=-1).astype(x.dtype)

    return rotate(q), rotate(k)
