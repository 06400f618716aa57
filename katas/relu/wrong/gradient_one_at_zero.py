"""Uses x >= 0 in the backward pass, so the gradient at exactly 0 is dout instead of 0.
反向传播用了 x >= 0，所以恰好为 0 处的梯度是 dout 而不是 0。
"""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x):
    return np.where(x >= 0, dout, 0.0).astype(dout.dtype)
