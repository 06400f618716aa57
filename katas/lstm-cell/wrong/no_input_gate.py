"""Adds the candidate without the input gate: c_next = f * c + g.
加候选值时没乘输入门：c_next = f * c + g。
"""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lstm_cell(x, h, c, W, U, b):
    z = x @ W + h @ U + b
    i, f, g, o = np.split(z, 4, axis=1)
    c_next = _sigmoid(f) * c + np.tanh(g)
    h_next = _sigmoid(o) * np.tanh(c_next)
    return h_next, c_next
