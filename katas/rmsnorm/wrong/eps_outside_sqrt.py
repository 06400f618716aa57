"""Adds eps after the square root: x / (sqrt(mean(x**2)) + eps).
eps 加在了开方之后：x / (sqrt(mean(x**2)) + eps)。
"""
import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    return x / (np.sqrt(np.mean(x * x, axis=-1, keepdims=True)) + eps) * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    rms = np.sqrt(np.mean(x * x, axis=-1, keepdims=True))
    den = rms + eps
    xhat = x / den
    g = dout * weight
    dx = g / den - x * np.sum(g * x, axis=-1, keepdims=True) / (den**2 * np.maximum(rms, 1e-300) * x.shape[-1])
    return dx, (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
