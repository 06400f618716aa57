"""Mixes the layouts: a cos/sin table built with np.repeat (interleaved order) used with the half-split rotation.
两种布局混用：用 np.repeat 生成的 cos/sin 表（交错顺序）配上前后两半的旋转。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    angles = (offset + np.arange(length))[:, None] * base ** (-np.arange(0, dh, 2) / dh)
    emb = np.repeat(angles, 2, axis=-1)  # (L, Dh) as [a0, a0, a1, a1, ...]
    cos, sin = np.cos(emb), np.sin(emb)

    def rotate(x):
        x1, x2 = x[..., : dh // 2], x[..., dh // 2:]
        rotated = np.concatenate([-x2, x1], axis=-1)
        return (x * cos + rotated * sin).astype(x.dtype)

    return rotate(q), rotate(k)
