"""A stable sigmoid that fills a new np.empty(t.shape) (float64), so float32 inputs come back as float64.
稳定版 sigmoid 往新建的 np.empty(t.shape)（float64）里填值，于是 float32 输入返回了 float64。
"""
import numpy as np


def _sigmoid(t):
    out = np.empty(t.shape)
    pos = t >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-t[pos]))
    e = np.exp(t[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def gru_cell(x, h, W, U, b_w, b_u):
    hid = h.shape[1]
    gx = x @ W + b_w
    gh = h @ U + b_u
    r = _sigmoid(gx[:, :hid] + gh[:, :hid])
    z = _sigmoid(gx[:, hid:2 * hid] + gh[:, hid:2 * hid])
    n = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])
    return (1 - z) * n + z * h
