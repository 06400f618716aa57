"""The L2 penalty is applied to the bias too: dL/db gets + 2 * l2 * b (and the loss + l2 * b**2).
L2 惩罚也用到了偏置上：dL/db 多了 2 * l2 * b（损失里也多了 l2 * b**2）。
"""
import numpy as np


def logistic_step(w, b, X, y, lr, l2=0.0):
    """One gradient-descent step of L2-regularized logistic regression (mean log loss; b not penalized).

    w: (D,); b: float; X: (N, D); y: (N,) of 0s and 1s.
    Returns (w_new, b_new, loss): w_new like w, b_new a float, loss a float: L at the input (w, b).
    """
    z = X @ w + b
    # log(1 + e^z) - y z is the log loss written on the logits: finite for any z (logaddexp is stable)
    loss = np.mean(np.logaddexp(0, z) - y * z) + l2 * (np.sum(w * w) + b * b)
    p = np.exp(-np.logaddexp(0, -z))  # sigmoid(z) = 1 / (1 + e^-z), without overflow for any z
    err = p - y
    n = X.shape[0]
    dw = X.T @ err / n + 2 * l2 * w
    db = err.mean() + 2 * l2 * b
    return (w - lr * dw).astype(w.dtype), float(b - lr * db), float(loss)
