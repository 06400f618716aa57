"""Treats w as PyTorch's (out, in) layout: multiplies by w instead of w.T, fails unless D == M."""


def linear_backward(x, w, b, dout):
    dx = dout @ w  # shapes only line up when D == M
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
