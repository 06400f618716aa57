"""Swaps the roles of the input and forget gates: c_next = i * c + f * g.
把输入门和遗忘门的作用弄反了：c_next = i * c + f * g。
"""
import numpy as np


def lstm_cell(x, h, c, W, U, b):
    z = x @ W + h @ U + b
    s = 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
    hid = h.shape[1]
    i, f, g, o = s[:, :hid], s[:, hid:2 * hid], np.tanh(z[:, 2 * hid:3 * hid]), s[:, 3 * hid:]
    c_next = i * c + f * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next
