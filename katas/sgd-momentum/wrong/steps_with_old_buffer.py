"""Steps with the buffer from before this update.
用本次更新之前的缓冲走这一步。
"""
import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One step of SGD with momentum in the PyTorch convention.

    g' = g + weight_decay * w;  v_new = momentum * v + g';  w_new = w - lr * v_new.
    Returns (w_new, v_new).
    """
    g = g + weight_decay * w
    v_new = momentum * v + g
    return w - lr * (v + g), v_new
