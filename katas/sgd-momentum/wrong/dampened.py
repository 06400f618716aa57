"""Averages the buffer with a (1 - momentum) factor, as an exponential moving average.
用 (1 - momentum) 系数把缓冲做成了指数滑动平均。
"""
import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One step of SGD with momentum in the PyTorch convention.

    g' = g + weight_decay * w;  v_new = momentum * v + g';  w_new = w - lr * v_new.
    Returns (w_new, v_new).
    """
    g = g + weight_decay * w
    v_new = momentum * v + (1 - momentum) * g
    return w - lr * v_new, v_new
