"""Partial windows at the edge kept (ceil mode) and averaged over the pixels they hold, instead of dropped.
边缘不完整的窗口被保留（ceil 模式）并按其中实际的像素求平均，而不是直接丢掉。
"""
import numpy as np


def avg_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    oh, ow = -(-(h - k) // s) + 1, -(-(w - k) // s) + 1
    out = np.zeros((n, c, oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
    return out
