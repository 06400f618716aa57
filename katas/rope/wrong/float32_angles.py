"""Builds the frequency and angle tables in float32 (as Hugging Face builds inv_freq): off by 1e-7 or more for float64 inputs.
用 float32 构造频率和角度表（Hugging Face 的 inv_freq 就是 float32）：对 float64 输入误差在 1e-7 以上。
"""
import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    length, dh = q.shape[-2], q.shape[-1]
    inv_freq = (1.0 / base ** (np.arange(0, dh, 2, dtype=np.float32) / dh)).astype(np.float32)
    angles = np.outer(np.arange(offset, offset + length, dtype=np.float32), inv_freq)
    cos, sin = np.cos(angles), np.sin(angles)
    half = dh // 2

    def rotate(x):
        x1, x2 = x[..., :half], x[..., half:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1).astype(x.dtype)

    return rotate(q), rotate(k)
