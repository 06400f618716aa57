"""Multiplies float32 inputs by float64 cos/sin tables and returns float64.
float32 输入乘以 float64 的 cos/sin 表，返回了 float64。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = (offset + np.arange(length))[:, None] * base ** (-np.arange(0, dh, 2) / dh)
    cos, sin = np.cos(angles), np.sin(angles)

    def rotate(x):
        x1, x2 = x[..., : dh // 2], x[..., dh // 2:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)

    return rotate(q), rotate(k)
