"""Averages the bias gradient over the batch instead of summing it.
偏置梯度在批上取了平均，而不是求和。
"""


def linear_backward(x, w, b, dout):
    dx = dout @ w.T
    dw = x.T @ dout
    db = dout.mean(axis=0)
    return dx, dw, db
