"""The 'autodiff' bug: multiplies the upstream gradient by the input elementwise.
“自动微分”式的错误：把上游梯度与输入逐元素相乘。
"""


def linear_backward(x, w, b, dout):
    dx = dout.sum(axis=1, keepdims=True) * x
    dw = x.sum(axis=0)[:, None] * dout.sum(axis=0)[None, :] / len(x)
    db = dout.sum(axis=0)
    return dx, dw, db
