"""The backward treats rms as a constant: dx = dout * weight / rms.
反向把 rms 当作常数：dx = dout * weight / rms。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    inv = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    return dout * weight * inv, (dout * x * inv).sum(axis=tuple(range(x.ndim - 1)))
