"""BCE as -mean(y log p + (1 - y) log(1 - p)): p rounds to 1 for large logits and the loss is inf.
BCE 写成 -mean(y log p + (1 - y) log(1 - p))：logit 很大时 p 舍入为 1，损失变成 inf。
"""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def two_layer_sgd_step(x, y, W1, b1, W2, b2, lr):
    """One SGD step on the mean binary cross-entropy of a ReLU -> sigmoid network.

    x (N, D), y (N,), W1 (D, H), b1 (H,), W2 (H, 1), b2 (1,), lr float.
    Returns (loss, W1, b1, W2, b2): the loss before the step and the updated parameters.
    """
    n = x.shape[0]
    a = x @ W1 + b1
    h = np.maximum(a, 0)
    z = (h @ W2 + b2)[:, 0]
    p = _sigmoid(z)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    dz = ((_sigmoid(z) - y) / n)[:, None]
    dW2 = h.T @ dz
    db2 = dz.sum(axis=0)
    da = (dz @ W2.T) * (a > 0)
    dW1 = x.T @ da
    db1 = da.sum(axis=0)
    return float(loss), W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
