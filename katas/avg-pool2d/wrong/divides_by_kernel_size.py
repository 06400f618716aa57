"""Window sum divided by kernel_size instead of kernel_size**2 (the number of pixels in the window).
窗口之和除以 kernel_size，而不是 kernel_size**2（窗口中的像素个数）。
"""
import numpy as np


def avg_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].sum(axis=(2, 3)) / k
    return out
