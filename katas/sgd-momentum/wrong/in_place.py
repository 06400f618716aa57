"""Updates the inputs in place (v *= momentum), which corrupts the caller's arrays.
原地修改输入（v *= momentum），破坏了调用者的数组。
"""
import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One step of SGD with momentum in the PyTorch convention.

    g' = g + weight_decay * w;  v_new = momentum * v + g';  w_new = w - lr * v_new.
    Returns (w_new, v_new).
    """
    g = g + weight_decay * w
    v *= momentum
    v += g
    v_new = v
    return w - lr * v_new, v_new
