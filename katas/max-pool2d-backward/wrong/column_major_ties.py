"""Offsets scanned column by column with a strict `>`: ties go to the first maximum in column-major order, not row-major.
按列扫描窗口偏移并用严格的 `>` 比较：平局时梯度给了按列优先顺序的第一个最大值，而不是按行优先。
"""
import numpy as np


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, oh, ow = dout.shape
    rows = slice(0, s * (oh - 1) + 1, s)
    cols = slice(0, s * (ow - 1) + 1, s)
    best = np.full((n, c, oh, ow), -np.inf, dtype=x.dtype)
    arg_u = np.zeros((n, c, oh, ow), dtype=int)
    arg_v = np.zeros((n, c, oh, ow), dtype=int)
    for v in range(k):
        for u in range(k):
            val = x[:, :, u:, v:][:, :, rows, cols]
            better = val > best
            best = np.where(better, val, best)
            arg_u = np.where(better, u, arg_u)
            arg_v = np.where(better, v, arg_v)
    nn = np.arange(n)[:, None, None, None]
    cc = np.arange(c)[None, :, None, None]
    r = np.arange(oh)[:, None] * s + arg_u
    q = np.arange(ow)[None, :] * s + arg_v
    dx = np.zeros_like(x)
    np.add.at(dx, (nn, cc, r, q), dout)
    return dx
