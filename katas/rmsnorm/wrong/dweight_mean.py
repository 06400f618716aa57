"""Averages dweight over the leading axes instead of summing.
dweight 在前置维度上取了平均，而不是求和。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    inv = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv
    g = dout * weight
    dx = inv * (g - xhat * np.mean(g * xhat, axis=-1, keepdims=True))
    return dx, (dout * xhat).mean(axis=tuple(range(x.ndim - 1)))
