"""Subtracts the maximum of the whole array instead of each slice's own maximum.
减去的是整个数组的最大值，而不是每个切片自己的最大值。
"""
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=axis, keepdims=True)
