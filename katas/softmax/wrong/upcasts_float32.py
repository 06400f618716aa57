"""Computes in float64 and returns float64 even for float32 input.
用 float64 计算，float32 输入也返回 float64。
"""
import numpy as np


def softmax(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
