import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    """h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b). x (N, T, D), h0 (N, H). Returns hs (N, T, H)."""
    raise NotImplementedError("write rnn_forward")


def rnn_backward(dhs, x, h0, Wx, Wh, b):
    """BPTT given dL/dh_t for every step, dhs (N, T, H). Returns (dx, dh0, dWx, dWh, db)."""
    raise NotImplementedError("write rnn_backward")
