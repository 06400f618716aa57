"""Treats w as PyTorch's (out, in) layout: multiplies by w instead of w.T, fails unless D == M.
把 w 当成 PyTorch 的 (out, in) 布局：乘的是 w 而不是 w.T，除非 D == M 否则出错。
"""


def linear_backward(x, w, b, dout):
    dx = dout @ w  # shapes only line up when D == M
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
