"""Resets h before the recurrent product, (r * h) @ U_n + b_u_n: another paper's variant, not this contract.
在循环侧矩阵乘法之前就重置 h，即 (r * h) @ U_n + b_u_n：这是另一篇论文的变体，不是本题的约定。
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
    n = np.tanh(gx[:, 2 * hid:] + (r * h) @ U[:, 2 * hid:] + b_u[2 * hid:])
    return (1 - z) * n + z * h
