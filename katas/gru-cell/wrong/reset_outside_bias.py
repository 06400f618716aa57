"""Applies the reset gate to h @ U_n only, leaving the recurrent bias b_u_n outside: r * (h U_n) + b_u_n.
重置门只乘 h @ U_n，把循环侧偏置 b_u_n 留在外面：r * (h U_n) + b_u_n。
"""
import numpy as np


def _sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell(x, h, W, U, b_w, b_u):
    hid = h.shape[1]
    gx, hu = x @ W + b_w, h @ U
    r = _sigmoid(gx[:, :hid] + hu[:, :hid] + b_u[:hid])
    z = _sigmoid(gx[:, hid:2 * hid] + hu[:, hid:2 * hid] + b_u[hid:2 * hid])
    n = np.tanh(gx[:, 2 * hid:] + r * hu[:, 2 * hid:] + b_u[2 * hid:])
    return (1 - z) * n + z * h
