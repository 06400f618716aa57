"""Returns the per-sample bias gradient dout (N, M) instead of reducing over the batch.
返回了逐样本的偏置梯度 dout (N, M)，没有沿批次维归约。
"""


def linear_backward(x, w, b, dout):
    dx = dout @ w.T
    dw = x.T @ dout
    db = dout.copy()
    return dx, dw, db
