"""Returns the per-sample bias gradient dout (N, M) instead of reducing over the batch."""


def linear_backward(x, w, b, dout):
    dx = dout @ w.T
    dw = x.T @ dout
    db = dout.copy()
    return dx, dw, db
