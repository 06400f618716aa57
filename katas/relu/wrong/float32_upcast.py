"""Builds the result with float64 zeros, so float32 inputs come back as float64.
用 float64 的零数组构造结果，所以 float32 输入得到 float64 输出。
"""
import numpy as np


def relu_forward(x):
    return np.where(x > 0, x, np.zeros(x.shape))


def relu_backward(dout, x):
    return np.where(x > 0, dout, np.zeros(x.shape))
