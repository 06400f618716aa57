"""The loss clips p to [1e-15, 1 - 1e-15] before taking logs, which caps each term near 34.5.
算损失前把 p 截断到 [1e-15, 1 - 1e-15]，每一项最多约为 34.5。
"""
import numpy as np


def logistic_step(w, b, X, y, lr, l2=0.0):
    """One gradient-descent step of L2-regularized logistic regression (mean log loss; b not penalized).

    w: (D,); b: float; X: (N, D); y: (N,) of 0s and 1s.
    Returns (w_new, b_new, loss): w_new like w, b_new a float, loss a float: L at the input (w, b).
    """
    z = X @ w + b
    # log(1 + e^z) - y z is the log loss written on the logits: finite for any z (logaddexp is stable)
    p = np.exp(-np.logaddexp(0, -z))  # sigmoid(z) = 1 / (1 + e^-z), without overflow for any z
    err = p - y
    pc = np.clip(p, 1e-15, 1 - 1e-15)
    loss = np.mean(-(y * np.log(pc) + (1 - y) * np.log(1 - pc))) + l2 * np.sum(w * w)
    n = X.shape[0]
    dw = X.T @ err / n + 2 * l2 * w
    db = err.mean()
    return (w - lr * dw).astype(w.dtype), float(b - lr * db), float(loss)
