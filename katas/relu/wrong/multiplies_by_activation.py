"""Backward multiplies the upstream gradient by relu(x) instead of by the mask x > 0.
反向传播把上游梯度乘以 relu(x)，而不是乘以掩码 x > 0。
"""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x):
    return dout * np.maximum(x, 0)
