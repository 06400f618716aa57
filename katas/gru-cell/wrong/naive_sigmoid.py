"""Sigmoid written as exp(t) / (1 + exp(t)): inf / inf = nan once a pre-activation passes ~710.
sigmoid 写成 exp(t) / (1 + exp(t))：预激活超过约 710 时变成 inf / inf = nan。
"""
import numpy as np


def gru_cell(x, h, W, U, b_w, b_u):
    hid = h.shape[1]
    gx = x @ W + b_w
    gh = h @ U + b_u
    e = np.exp(gx[:, :2 * hid] + gh[:, :2 * hid])
    gates = e / (1.0 + e)
    r, z = gates[:, :hid], gates[:, hid:]
    n = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])
    return (1 - z) * n + z * h
