"""Hidden bias added after the ReLU: relu(x @ W1) + b1 instead of relu(x @ W1 + b1).
隐藏层的偏置加在了 ReLU 之后：算成了 relu(x @ W1) + b1，而不是 relu(x @ W1 + b1)。
"""
import numpy as np


def two_layer_net(x, W1, b1, W2, b2):
    h = np.maximum(x @ W1, 0) + b1
    z = h @ W2 + b2
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
