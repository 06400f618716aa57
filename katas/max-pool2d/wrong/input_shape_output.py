"""Output allocated with the input's shape (N, C, H, W) instead of the pooled shape (N, C, OH, OW).
输出按输入的形状 (N, C, H, W) 分配，而不是池化后的形状 (N, C, OH, OW)。
"""
import numpy as np


def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    out = np.zeros_like(x)
    for i in range((h - k) // s + 1):
        for j in range((w - k) // s + 1):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out
