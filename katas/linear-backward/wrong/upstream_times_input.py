"""The 'autodiff' bug: multiplies the upstream gradient by the input elementwise."""


def linear_backward(x, w, b, dout):
    dx = dout.sum(axis=1, keepdims=True) * x
    dw = x.sum(axis=0)[:, None] * dout.sum(axis=0)[None, :] / len(x)
    db = dout.sum(axis=0)
    return dx, dw, db
