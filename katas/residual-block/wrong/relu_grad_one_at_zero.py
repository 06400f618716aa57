"""ReLU masks written as >= 0 in the backward pass: the gradient flows where a ReLU's input is exactly 0.
反向传播中 ReLU 的掩码写成了 >= 0：ReLU 输入恰好为 0 的地方梯度也流了过去。
"""
import numpy as np


def residual_block(x, W1, b1, W2, b2):
    h = np.maximum(x @ W1 + b1, 0)
    return np.maximum(x + h @ W2 + b2, 0)


def residual_block_backward(dout, x, W1, b1, W2, b2):
    a = x @ W1 + b1
    h = np.maximum(a, 0)
    s = x + h @ W2 + b2
    ds = dout * (s >= 0)
    dW2 = h.T @ ds
    db2 = ds.sum(axis=0)
    da = (ds @ W2.T) * (a >= 0)
    dW1 = x.T @ da
    db1 = da.sum(axis=0)
    dx = ds + da @ W1.T
    return dx, dW1, db1, dW2, db2
