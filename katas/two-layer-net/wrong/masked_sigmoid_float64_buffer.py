"""Stable sigmoid written into a buffer from np.empty(z.shape): float32 inputs give a float64 p.
数值稳定的 sigmoid 写进了 np.empty(z.shape) 分配的缓冲区：float32 输入得到 float64 的 p。
"""
import numpy as np


def two_layer_net(x, W1, b1, W2, b2):
    h = np.maximum(x @ W1 + b1, 0)
    z = h @ W2 + b2
    p = np.empty(z.shape)
    pos = z >= 0
    p[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    p[~pos] = e / (1 + e)
    return p
