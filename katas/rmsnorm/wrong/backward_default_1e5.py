"""rmsnorm_backward's default eps is 1e-5 (layer norm's default) instead of 1e-6, the forward's.
rmsnorm_backward 的 eps 默认值写成了 1e-5（层归一化的默认值），而不是与前向相同的 1e-6。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-5):
    inv = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv
    g = dout * weight
    dx = inv * (g - xhat * np.mean(g * xhat, axis=-1, keepdims=True))
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
