"""Mask `window == window.max()`: on a tie every maximum gets the full gradient.
用掩码 `window == window.max()`：出现平局时每个最大值都拿到完整的梯度。
"""
import numpy as np


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    oh, ow = dout.shape[2:]
    dx = np.zeros_like(x)
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, i * s:i * s + k, j * s:j * s + k]
            mask = win == win.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * s:i * s + k, j * s:j * s + k] += mask * dout[:, :, i, j][:, :, None, None]
    return dx
