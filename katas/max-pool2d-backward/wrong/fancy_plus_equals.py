"""`dx[idx] += dout` with fancy indices: numpy keeps one write per repeated pixel, so overlaps are lost.
对花式索引用 `dx[idx] += dout`：重复的像素 numpy 只保留一次写入，重叠部分的梯度丢了。
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, oh, ow = dout.shape
    win = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s][:, :, :oh, :ow]
    idx = win.reshape(n, c, oh, ow, k * k).argmax(axis=-1)
    rows = np.arange(oh)[:, None] * s + idx // k
    cols = np.arange(ow)[None, :] * s + idx % k
    dx = np.zeros_like(x)
    dx[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], rows, cols] += dout
    return dx
