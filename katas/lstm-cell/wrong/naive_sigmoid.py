"""Sigmoid written as exp(z) / (1 + exp(z)): inf / inf = nan once a pre-activation passes ~710.
sigmoid 写成 exp(z) / (1 + exp(z))：预激活超过约 710 时变成 inf / inf = nan。
"""
import numpy as np


def lstm_cell(x, h, c, W, U, b):
    z = x @ W + h @ U + b
    ez = np.exp(z)
    gates = ez / (1.0 + ez)
    hid = h.shape[1]
    i, f, o = gates[:, :hid], gates[:, hid:2 * hid], gates[:, 3 * hid:]
    g = np.tanh(z[:, 2 * hid:3 * hid])
    c_next = f * c + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next
