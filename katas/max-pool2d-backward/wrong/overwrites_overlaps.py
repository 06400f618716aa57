"""Writes each window's masked gradient into dx's window slice with `=`: a later overlapping window overwrites earlier gradients.
把每个窗口经掩码后的梯度用 `=` 写进 dx 的窗口切片：后面重叠的窗口覆盖了前面窗口的梯度。
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
            mask = (np.arange(k * k) == win.argmax(axis=-1)[..., None]).reshape(n, c, k, k)
            dx[:, :, i * s:i * s + k, j * s:j * s + k] = mask * dout[:, :, i, j][:, :, None, None]
    return dx
