"""Clamps the input in place (x[x < 0] = 0), which modifies the caller's array.
原地把输入截断（x[x < 0] = 0），修改了调用者的数组。
"""
import numpy as np


def relu_forward(x):
    x[x < 0] = 0
    return x


def relu_backward(dout, x):
    dout[x <= 0] = 0
    return dout
