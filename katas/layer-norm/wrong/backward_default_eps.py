"""The backward uses a hard-coded eps = 1e-5 instead of its eps argument.
反向写死了 eps = 1e-5，没有用传入的 eps 参数。
"""
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    """Layer normalization over the last axis. x (..., D), gamma and beta (D,). Returns (..., D)."""
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)  # biased: divides by D
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def layernorm_backward(dout, x, gamma, eps=1e-5):
    """Gradients of layernorm_forward. Returns (dx (..., D), dgamma (D,), dbeta (D,))."""
    d = x.shape[-1]
    mu = x.mean(axis=-1, keepdims=True)
    inv = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5)
    xhat = (x - mu) * inv
    lead = tuple(range(x.ndim - 1))
    dgamma = (dout * xhat).sum(axis=lead)
    dbeta = dout.sum(axis=lead)
    g = dout * gamma
    dx = inv / d * (d * g - g.sum(axis=-1, keepdims=True) - xhat * (g * xhat).sum(axis=-1, keepdims=True))
    return dx, dgamma, dbeta
