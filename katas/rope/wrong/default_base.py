"""Uses a hard-coded base 10000 instead of the base argument.
写死了 base = 10000，没有用传入的 base 参数。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = (offset + np.arange(length))[:, None] * 10000.0 ** (-np.arange(0, dh, 2) / dh)
    cos, sin = np.cos(angles), np.sin(angles)

    def rotate(x):
        x1, x2 = x[..., : dh // 2], x[..., dh // 2:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1).astype(x.dtype)

    return rotate(q), rotate(k)
