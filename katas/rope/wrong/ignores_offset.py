"""Ignores offset: positions always start at 0, so a decode step is rotated as if it were the first token.
忽略了 offset：位置总是从 0 开始，于是解码的一步被当作第一个词元来旋转。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = np.arange(length)[:, None] * base ** (-np.arange(0, dh, 2) / dh)
    cos, sin = np.cos(angles), np.sin(angles)

    def rotate(x):
        x1, x2 = x[..., : dh // 2], x[..., dh // 2:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1).astype(x.dtype)

    return rotate(q), rotate(k)
