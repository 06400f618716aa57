"""Uses only the input-side bias b_w and drops b_u (PyTorch has two biases; both count).
只用了输入侧偏置 b_w，丢掉了 b_u（PyTorch 有两份偏置，两份都要加）。
"""
import numpy as np


def _sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell(x, h, W, U, b_w, b_u):
    hid = h.shape[1]
    gx = x @ W + b_w
    gh = h @ U
    r = _sigmoid(gx[:, :hid] + gh[:, :hid])
    z = _sigmoid(gx[:, hid:2 * hid] + gh[:, hid:2 * hid])
    n = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])
    return (1 - z) * n + z * h
