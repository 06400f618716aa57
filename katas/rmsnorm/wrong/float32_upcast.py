"""Computes in float64 for accuracy and returns float64 for float32 inputs.
为了精度改用 float64 计算，float32 输入却返回了 float64。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    x = np.asarray(x, dtype=np.float64)
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight.astype(np.float64)


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    x, dout, weight = (np.asarray(a, dtype=np.float64) for a in (x, dout, weight))
    inv = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv
    g = dout * weight
    dx = inv * (g - xhat * np.mean(g * xhat, axis=-1, keepdims=True))
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
