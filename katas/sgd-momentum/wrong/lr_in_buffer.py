"""Keeps lr inside the buffer (v = mu v + lr g, w = w - v): the returned buffer is lr times too small.
把 lr 放进了缓冲（v = mu v + lr g，w = w - v）：返回的缓冲小了 lr 倍。
"""
import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One step of SGD with momentum in the PyTorch convention.

    g' = g + weight_decay * w;  v_new = momentum * v + g';  w_new = w - lr * v_new.
    Returns (w_new, v_new).
    """
    g = g + weight_decay * w
    v_new = momentum * v + lr * g
    return w - v_new, v_new
