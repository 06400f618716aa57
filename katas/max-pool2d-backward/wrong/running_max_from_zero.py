"""Running maximum started at 0: in an all-negative window nothing beats it and no gradient flows.
滑动最大值从 0 开始：全为负数的窗口里没有值能超过它，梯度传不下去。
"""
import numpy as np


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, oh, ow = dout.shape
    dx = np.zeros_like(x)
    for i in range(oh):
        for j in range(ow):
            best = np.zeros((n, c))
            where = np.full((n, c, 2), -1)
            for u in range(k):
                for v in range(k):
                    val = x[:, :, i * s + u, j * s + v]
                    better = val > best
                    best = np.where(better, val, best)
                    where[better] = (i * s + u, j * s + v)
            for a in range(n):
                for b in range(c):
                    if where[a, b, 0] >= 0:
                        dx[a, b, where[a, b, 0], where[a, b, 1]] += dout[a, b, i, j]
    return dx
