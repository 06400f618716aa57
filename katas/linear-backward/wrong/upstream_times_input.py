"""The 'autodiff' bug: multiplies the upstream gradient by the input elementwise."""
def linear_backward(x, w, b, dout):
    """Gradients of out = x @ w + b with respect to x, w and b.

    x: (N, D), w: (D, M), b: (M,), dout: (N, M) = dL/dout. Returns (dx (N, D), dw (D, M), db (M,)).
    """
    dx = dout.sum(axis=1, keepdims=True) * x
    dw = x.sum(axis=0)[:, None] * dout.sum(axis=0)[None, :] / len(x)
    db = dout.sum(axis=0)
    return dx, dw, db
