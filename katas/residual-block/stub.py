import numpy as np


def residual_block(x, W1, b1, W2, b2):
    """Forward: y = relu(x + relu(x @ W1 + b1) @ W2 + b2).

    x: (N, D); W1: (D, H); b1: (H,); W2: (H, D); b2: (D,). Returns y of shape (N, D).
    """
    raise NotImplementedError("write residual_block")


def residual_block_backward(dout, x, W1, b1, W2, b2):
    """Backward: dout = dL/dy of shape (N, D).

    Returns (dx, dW1, db1, dW2, db2) with the shapes of x, W1, b1, W2, b2.
    """
    raise NotImplementedError("write residual_block_backward")
