import numpy as np


def dropout_forward(x, keep_mask, p, train=True):
    """Inverted dropout: p is the drop probability, keep_mask is True where kept."""
    raise NotImplementedError("write dropout_forward")


def dropout_backward(dout, keep_mask, p):
    """Gradient of the training-mode forward pass."""
    raise NotImplementedError("write dropout_backward")
