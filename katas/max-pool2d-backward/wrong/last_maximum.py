"""Ties sent to the last maximum in row-major order instead of the first.
平局时梯度给了按行优先顺序的最后一个最大值，而不是第一个。
"""
import numpy as np


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, oh, ow = dout.shape
    dx = np.zeros_like(x)
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, i * s:i * s + k, j * s:j * s + k].reshape(n, c, k * k)
            last = k * k - 1 - win[:, :, ::-1].argmax(axis=-1)
            u, v = np.divmod(last, k)
            nn, cc = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
            np.add.at(dx, (nn, cc, i * s + u, j * s + v), dout[:, :, i, j])
    return dx
