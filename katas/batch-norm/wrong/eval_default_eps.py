"""Eval mode uses a hard-coded eps = 1e-5 instead of the eps argument.
推理模式写死了 eps = 1e-5，没有用传入的 eps 参数。
"""
import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, train, momentum=0.1, eps=1e-5):
    """Batch normalization over the batch axis of x (N, D).

    Returns (out, new_running_mean, new_running_var); out has x's shape, the running statistics (D,).
    """
    if train:
        n = x.shape[0]
        mean = x.mean(axis=0)
        var = x.var(axis=0)  # biased (divides by N): what normalization uses
        out = gamma * (x - mean) / np.sqrt(var + eps) + beta
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * (n / (n - 1))  # unbiased estimate
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + 1e-5) + beta
        new_mean, new_var = running_mean.copy(), running_var.copy()
    return out, new_mean, new_var


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    """Gradients of the train-mode forward: returns (dx, dgamma, dbeta) of shapes (N, D), (D,), (D,)."""
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    # the mean and the variance depend on every row, hence the two correction terms
    dx = (gamma * inv_std / n) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
