"""A stable sigmoid that fills np.empty_like(z, dtype=float), which is float64: float32 inputs come back as float64.
稳定版 sigmoid 往 np.empty_like(z, dtype=float) 里填值，而 dtype=float 就是 float64：float32 输入返回了 float64。
"""
import numpy as np


def _sigmoid(z):
    out = np.empty_like(z, dtype=float)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def lstm_cell(x, h, c, W, U, b):
    z = x @ W + h @ U + b
    i, f, g, o = np.split(z, 4, axis=1)
    c_next = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    h_next = _sigmoid(o) * np.tanh(c_next)
    return h_next, c_next
