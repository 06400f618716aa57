"""Output allocated with np.zeros(shape): float64 results for float32 inputs.
用 np.zeros(shape) 分配输出：float32 输入得到 float64 结果。
"""
import numpy as np


def avg_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
    return out
