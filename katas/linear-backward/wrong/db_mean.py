"""Averages the bias gradient over the batch instead of summing it."""
def linear_backward(x, w, b, dout):
    """Gradients of out = x @ w + b with respect to x, w and b.

    x: (N, D), w: (D, M), b: (M,), dout: (N, M) = dL/dout. Returns (dx (N, D), dw (D, M), db (M,)).
    """
    dx = dout @ w.T
    dw = x.T @ dout
    db = dout.mean(axis=0)
    return dx, dw, db
