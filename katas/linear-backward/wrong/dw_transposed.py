"""Returns dw with w's transpose shape: dout.T @ x, (M, D)."""
def linear_backward(x, w, b, dout):
    """Gradients of out = x @ w + b with respect to x, w and b.

    x: (N, D), w: (D, M), b: (M,), dout: (N, M) = dL/dout. Returns (dx (N, D), dw (D, M), db (M,)).
    """
    dx = dout @ w.T
    dw = dout.T @ x
    db = dout.sum(axis=0)
    return dx, dw, db
