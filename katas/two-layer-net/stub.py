import numpy as np


def two_layer_net(x, W1, b1, W2, b2):
    """Forward pass of a 2-layer network: ReLU hidden layer, sigmoid output.

    x: (N, D); W1: (D, H); b1: (H,); W2: (H, 1); b2: (1,).
    Returns p of shape (N, 1): p = sigmoid(relu(x @ W1 + b1) @ W2 + b2).
    """
    raise NotImplementedError("write two_layer_net")
