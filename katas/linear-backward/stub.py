import numpy as np


def linear_backward(x, w, b, dout):
    """Backward of out = x @ w + b. x (N, D), w (D, M), b (M,), dout (N, M).

    Returns (dx, dw, db) with the shapes of x, w and b.
    """
    raise NotImplementedError("write linear_backward")
