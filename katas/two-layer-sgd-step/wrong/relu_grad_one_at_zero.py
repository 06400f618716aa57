"""ReLU derivative taken as 1 at exactly 0 (mask a >= 0): the gradient reaches W1 and b1 through units that are off.
ReLU 在恰好为 0 处的导数取成 1（掩码 a >= 0）：梯度经由未激活的单元传到了 W1 和 b1。
"""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def two_layer_sgd_step(x, y, W1, b1, W2, b2, lr):
    n = x.shape[0]
    a = x @ W1 + b1
    h = np.maximum(a, 0)
    z = (h @ W2 + b2)[:, 0]
    loss = np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))
    dz = ((_sigmoid(z) - y) / n)[:, None]
    dW2 = h.T @ dz
    db2 = dz.sum(axis=0)
    da = (dz @ W2.T) * (a >= 0)
    dW1 = x.T @ da
    db1 = da.sum(axis=0)
    return float(loss), W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
