"""Divides by the L2 norm sqrt(sum(x**2) + eps) instead of the root mean square (forgets to divide by D).
除以 L2 范数 sqrt(sum(x**2) + eps)，而不是均方根（忘了除以 D）。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / np.sqrt(np.sum(x * x, axis=-1, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    inv = 1.0 / np.sqrt(np.sum(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv
    g = dout * weight
    dx = inv * (g - xhat * np.sum(g * xhat, axis=-1, keepdims=True))
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
