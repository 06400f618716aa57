import numpy as np


def softmax(x, axis=-1):
    """Softmax of x along `axis`, stable for any magnitudes; same shape and dtype as x."""
    shifted = x - np.max(x, axis=axis, keepdims=True)  # the largest term becomes exp(0) = 1
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
