"""The backward computes in float64 for accuracy and returns float64 gradients for float32 inputs.
反向为了精度改用 float64 计算，float32 输入却返回了 float64 梯度。
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
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        new_mean, new_var = running_mean.copy(), running_var.copy()
    return out, new_mean, new_var


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    """Gradients of the train-mode forward: returns (dx, dgamma, dbeta) of shapes (N, D), (D,), (D,)."""
    dout, x, gamma = (np.asarray(a, dtype=np.float64) for a in (dout, x, gamma))
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = (gamma * inv_std / n) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
