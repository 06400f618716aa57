"""Uses x >= 0 in the backward pass, so the gradient at exactly 0 is dout instead of 0."""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x):
    return np.where(x >= 0, dout, 0.0).astype(dout.dtype)
