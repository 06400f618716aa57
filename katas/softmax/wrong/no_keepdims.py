"""Divides by a sum reduced without keepdims: the shapes no longer line up (or pair the wrong axes).
除以的和没有用 keepdims 保留维度：形状对不上（或者配错了轴）。
"""
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis)
