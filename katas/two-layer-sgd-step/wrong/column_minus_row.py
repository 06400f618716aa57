"""Logits kept as an (N, 1) column while y is (N,): z - y broadcasts to an (N, N) matrix.
logits 保持 (N, 1) 列向量而 y 是 (N,)：z - y 广播成了 (N, N) 矩阵。
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
    z = h @ W2 + b2
    loss = np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))
    dz = (_sigmoid(z) - y).mean(axis=1, keepdims=True) / n
    dW2 = h.T @ dz
    db2 = dz.sum(axis=0)
    da = (dz @ W2.T) * (a > 0)
    dW1 = x.T @ da
    db1 = da.sum(axis=0)
    return float(loss), W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
