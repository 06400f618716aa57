"""The backward uses a hard-coded eps = 1e-6 instead of its eps argument.
反向写死了 eps = 1e-6，没有用传入的 eps 参数。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    inv = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6)
    xhat = x * inv
    g = dout * weight
    dx = inv * (g - xhat * np.mean(g * xhat, axis=-1, keepdims=True))
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
