"""Momentum applied the other way round: new = momentum * old + (1 - momentum) * batch.
momentum 用反了：new = momentum * old + (1 - momentum) * batch。
"""
import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, train, momentum=0.1, eps=1e-5):
    """Batch normalization over the batch axis of x (N, D).

    Returns (out, new_running_mean, new_running_var); out has x's shape, the running statistics (D,).
    """
    if train:
        n = x.shape[0]
        mean = x.mean(axis=0)
        var = x.var(axis=0)
        out = gamma * (x - mean) / np.sqrt(var + eps) + beta
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var * (n / (n - 1))
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        new_mean, new_var = running_mean.copy(), running_var.copy()
    return out, new_mean, new_var


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    """Gradients of the train-mode forward: returns (dx, dgamma, dbeta) of shapes (N, D), (D,), (D,)."""
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = (gamma * inv_std / n) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
