"""Stride defaults to 1 instead of kernel_size.
步长默认取 1，而不是 kernel_size。
"""
import numpy as np


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = stride or 1
    n, c, oh, ow = dout.shape
    dx = np.zeros_like(x)
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, i * s:i * s + k, j * s:j * s + k].reshape(n, c, k * k)
            u, v = np.divmod(win.argmax(axis=-1), k)
            nn, cc = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
            np.add.at(dx, (nn, cc, i * s + u, j * s + v), dout[:, :, i, j])
    return dx
