"""dx allocated with np.zeros(x.shape): float32 inputs get a float64 gradient.
用 np.zeros(x.shape) 分配 dx：float32 输入得到 float64 梯度。
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, oh, ow = dout.shape
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s][:, :, :oh, :ow]
    first = windows.reshape(n, c, oh, ow, k * k).argmax(axis=-1)
    rows = np.arange(oh)[:, None] * s + first // k
    cols = np.arange(ow)[None, :] * s + first % k
    dx = np.zeros(x.shape)
    np.add.at(dx, (np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], rows, cols), dout)
    return dx
