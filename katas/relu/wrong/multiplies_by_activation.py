"""Backward multiplies the upstream gradient by relu(x) instead of by the mask x > 0."""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x):
    return dout * np.maximum(x, 0)
