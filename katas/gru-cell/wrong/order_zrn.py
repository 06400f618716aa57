"""Splits the gate blocks in the order z, r, n instead of r, z, n.
按 z, r, n 的顺序切分门的各块，而不是 r, z, n。
"""
import numpy as np


def _sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell(x, h, W, U, b_w, b_u):
    hid = h.shape[1]
    gx = x @ W + b_w
    gh = h @ U + b_u
    z = _sigmoid(gx[:, :hid] + gh[:, :hid])
    r = _sigmoid(gx[:, hid:2 * hid] + gh[:, hid:2 * hid])
    n = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])
    return (1 - z) * n + z * h
