"""Builds the table in float32 (as a port of PyTorch code does by default) instead of returning float64.
按 float32 构造整张表（照搬 PyTorch 代码时的默认类型），而不是返回 float64。
"""
import numpy as np


def sinusoidal_positions(T, d):
    pos = np.arange(T, dtype=np.float32)[:, None]
    freq = np.exp(np.arange(0, d, 2, dtype=np.float32) * np.float32(-np.log(10000.0) / d))
    angles = pos * freq
    pe = np.zeros((T, d), dtype=np.float32)
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe
