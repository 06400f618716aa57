"""Loops stop one window short: range(H - k) instead of range(H - k + 1) (stride-1 thinking).
循环少走一个窗口：用了 range(H - k) 而不是 range(H - k + 1)（按步长 1 的思路）。
"""
import numpy as np


def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    oh, ow = (h - k) // s, (w - k) // s
    out = np.empty((n, c, oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out
