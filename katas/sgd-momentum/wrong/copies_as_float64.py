"""Copies the inputs with np.array(x, dtype=float) to avoid modifying them: float32 comes back as float64.
为了不修改输入，用 np.array(x, dtype=float) 复制了一份：float32 输入返回成了 float64。
"""
import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One step of SGD with momentum in the PyTorch convention.

    g' = g + weight_decay * w;  v_new = momentum * v + g';  w_new = w - lr * v_new.
    Returns (w_new, v_new).
    """
    w, g, v = (np.array(a, dtype=float) for a in (w, g, v))
    g += weight_decay * w
    v *= momentum
    v += g
    w -= lr * v
    return w, v
