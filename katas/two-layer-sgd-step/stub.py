import numpy as np


def two_layer_sgd_step(x, y, W1, b1, W2, b2, lr):
    """One SGD step for p = sigmoid(relu(x @ W1 + b1) @ W2 + b2) on the mean binary cross-entropy.

    x: (N, D); y: (N,) targets in [0, 1]; W1: (D, H); b1: (H,); W2: (H, 1); b2: (1,); lr: float.
    Returns (loss, W1_new, b1_new, W2_new, b2_new): loss is a float computed BEFORE the update,
    the parameters are new arrays of the same shapes.
    """
    raise NotImplementedError("write two_layer_sgd_step")
