"""Output allocated with the input's spatial shape instead of the computed output shape.
输出按输入的空间尺寸分配，而不是按算出的输出尺寸。
"""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n, f, h, wd))
    for i in range(0, (xp.shape[2] - kh) // stride + 1):
        for j in range(0, (xp.shape[3] - kw) // stride + 1):
            if i < h and j < wd:
                patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out if b is None else out + b[None, :, None, None]
