"""Subtracts the mean first, as layer norm does: (x - mean) / sqrt(var + eps) * weight.
像层归一化那样先减去均值：(x - mean) / sqrt(var + eps) * weight。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    c = x - x.mean(axis=-1, keepdims=True)
    return c / np.sqrt(np.mean(c * c, axis=-1, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    d = x.shape[-1]
    c = x - x.mean(axis=-1, keepdims=True)
    inv = 1.0 / np.sqrt(np.mean(c * c, axis=-1, keepdims=True) + eps)
    xhat = c * inv
    g = dout * weight
    dx = inv / d * (d * g - g.sum(axis=-1, keepdims=True) - xhat * (g * xhat).sum(axis=-1, keepdims=True))
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
