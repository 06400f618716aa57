"""Starts the running maximum from zeros, so all-negative windows come out 0.
滑动最大值从 0 开始，所以全为负数的窗口输出 0。
"""
import numpy as np


def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, oh, ow), dtype=x.dtype)
    for di in range(k):
        for dj in range(k):
            out = np.maximum(out, x[:, :, di:di + s * (oh - 1) + 1:s, dj:dj + s * (ow - 1) + 1:s])
    return out
