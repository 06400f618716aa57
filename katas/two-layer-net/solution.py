import numpy as np


def _sigmoid(z):
    """1 / (1 + exp(-z)) without overflow: exp is only ever taken of -|z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def two_layer_net(x, W1, b1, W2, b2):
    """x (N, D) -> ReLU hidden layer (N, H) -> sigmoid output (N, 1)."""
    h = np.maximum(x @ W1 + b1, 0)
    return _sigmoid(h @ W2 + b2)
