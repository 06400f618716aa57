"""Adds weight decay to the step after the momentum buffer instead of to the gradient.
权重衰减加在动量缓冲之后的步长上，而不是并入梯度。
"""
import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One step of SGD with momentum in the PyTorch convention.

    g' = g + weight_decay * w;  v_new = momentum * v + g';  w_new = w - lr * v_new.
    Returns (w_new, v_new).
    """
    v_new = momentum * v + g
    return w - lr * (v_new + weight_decay * w), v_new
