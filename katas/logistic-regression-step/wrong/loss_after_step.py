"""The returned loss is evaluated at the updated parameters instead of the input ones.
返回的损失是在更新后的参数上算的，而不是输入的参数。
"""
import numpy as np


def logistic_step(w, b, X, y, lr, l2=0.0):
    """One gradient-descent step of L2-regularized logistic regression (mean log loss; b not penalized).

    w: (D,); b: float; X: (N, D); y: (N,) of 0s and 1s.
    Returns (w_new, b_new, loss): w_new like w, b_new a float, loss a float: L at the input (w, b).
    """
    z = X @ w + b
    # log(1 + e^z) - y z is the log loss written on the logits: finite for any z (logaddexp is stable)
    loss = np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(w * w)
    p = np.exp(-np.logaddexp(0, -z))  # sigmoid(z) = 1 / (1 + e^-z), without overflow for any z
    err = p - y
    n = X.shape[0]
    dw = X.T @ err / n + 2 * l2 * w
    db = err.mean()
    w_new, b_new = w - lr * dw, b - lr * db
    z_new = X @ w_new + b_new
    loss = np.mean(np.logaddexp(0, z_new) - y * z_new) + l2 * np.sum(w_new * w_new)
    return w_new.astype(w.dtype), float(b_new), float(loss)
