"""Takes the mean of x**2 over the batch axis (axis 0) instead of the features (last axis).
在批维（第 0 维）上求 x**2 的均值，而不是在特征维（最后一维）上。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / np.sqrt(np.mean(x * x, axis=0, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    inv = 1.0 / np.sqrt(np.mean(x * x, axis=0, keepdims=True) + eps)
    xhat = x * inv
    g = dout * weight
    dx = inv * (g - xhat * np.mean(g * xhat, axis=0, keepdims=True))
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
