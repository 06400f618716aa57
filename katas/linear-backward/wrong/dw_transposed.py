"""Returns dw with w's transpose shape: dout.T @ x, (M, D).
返回的 dw 是 w 转置的形状：dout.T @ x，(M, D)。
"""


def linear_backward(x, w, b, dout):
    dx = dout @ w.T
    dw = dout.T @ x
    db = dout.sum(axis=0)
    return dx, dw, db
