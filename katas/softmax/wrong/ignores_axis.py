"""Always normalises over the last axis, whatever `axis` says.
不管 `axis` 是多少，总是在最后一维上归一化。
"""
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
