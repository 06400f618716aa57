"""Treats the state before step 1 as zeros in the backward pass: the h0 term of dWh is dropped.
反向时把第 1 步之前的状态当成零：dWh 里漏掉了 h0 那一项。
"""
import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    """Vanilla tanh RNN over a sequence. x (N, T, D), h0 (N, H), Wx (D, H), Wh (H, H), b (H,).

    h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b); returns hs (N, T, H) with hs[:, t] = h_t.
    """
    n, steps, _ = x.shape
    hs = np.empty((n, steps, h0.shape[1]), dtype=np.result_type(x, h0, Wx))
    h = h0
    for t in range(steps):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs[:, t] = h
    return hs


def rnn_backward(dhs, x, h0, Wx, Wh, b):
    """Backpropagation through time for rnn_forward, given dL/dh_t for every step (dhs (N, T, H)).

    Returns (dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,)).
    """
    hs = rnn_forward(x, h0, Wx, Wh, b)
    n, steps, _ = x.shape
    dx = np.zeros_like(x, dtype=hs.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_next = np.zeros_like(h0)  # gradient reaching h_t from step t + 1
    for t in reversed(range(steps)):
        h_prev = hs[:, t - 1] if t > 0 else np.zeros_like(h0)
        da = (dhs[:, t] + dh_next) * (1.0 - hs[:, t] ** 2)  # through tanh, using its output
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
        dh_next = da @ Wh.T
    return dx, dh_next, dWx, dWh, db
