"""Partial windows at the edge kept (ceil mode) instead of dropped: the output grows by the unused rows/columns.
边缘不完整的窗口被保留（ceil 模式）而不是丢掉：没用到的行/列也多出了输出。
"""
import numpy as np


def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    oh, ow = -(-(h - k) // s) + 1, -(-(w - k) // s) + 1
    out = np.empty((n, c, oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out
