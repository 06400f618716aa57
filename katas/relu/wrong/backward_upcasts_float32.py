"""Backward multiplies dout by a float64 mask (x > 0).astype(float): float32 gradients come back as float64.
反向传播把 dout 乘以 float64 的掩码 (x > 0).astype(float)：float32 的梯度变成了 float64。
"""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x):
    return dout * (x > 0).astype(float)
