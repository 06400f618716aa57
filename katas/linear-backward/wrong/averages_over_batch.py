"""Divides dw and db by the batch size N, although dout of a mean loss already carries the 1/N.
把 dw 和 db 都除以了批大小 N，而平均损失给出的 dout 里已经带了 1/N。
"""


def linear_backward(x, w, b, dout):
    n = x.shape[0]
    dx = dout @ w.T
    dw = x.T @ dout / n
    db = dout.sum(axis=0) / n
    return dx, dw, db
