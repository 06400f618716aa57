"""Swaps the roles of z: h_next = z * n + (1 - z) * h (z as the weight of the new candidate).
把 z 的作用弄反了：h_next = z * n + (1 - z) * h（把 z 当成新候选状态的权重）。
"""
import numpy as np


def _sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell(x, h, W, U, b_w, b_u):
    hid = h.shape[1]
    gx = x @ W + b_w
    gh = h @ U + b_u
    r = _sigmoid(gx[:, :hid] + gh[:, :hid])
    z = _sigmoid(gx[:, hid:2 * hid] + gh[:, hid:2 * hid])
    n = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])
    return z * n + (1 - z) * h
