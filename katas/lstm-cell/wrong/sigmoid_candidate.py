"""Squashes the candidate g with sigmoid instead of tanh.
候选值 g 用了 sigmoid 而不是 tanh。
"""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lstm_cell(x, h, c, W, U, b):
    z = x @ W + h @ U + b
    i, f, g, o = np.split(z, 4, axis=1)
    c_next = _sigmoid(f) * c + _sigmoid(i) * _sigmoid(g)
    h_next = _sigmoid(o) * np.tanh(c_next)
    return h_next, c_next
