"""The step applies the L2 penalty to the bias too: dL/db gets + 2 * l2 * b.
梯度下降把 L2 惩罚也用到了偏置上：dL/db 多加了 2 * l2 * b。
"""
import numpy as np


def fit_closed_form(X, y, l2=0.0):
    """The exact minimizer of mean((X @ w + b - y)**2) + l2 * ||w||**2 (the bias b is not penalized).

    X: (N, D); y: (N,). Returns (w, b): w of shape (D,), b a float.
    """
    x_mean, y_mean = X.mean(axis=0), y.mean()
    xc, yc = X - x_mean, y - y_mean  # centring takes the unpenalized bias out of the problem
    n, d = X.shape
    if l2 > 0:
        # ridge as ordinary least squares on augmented rows: ||xc w - yc||^2 + N*l2*||w||^2
        xc = np.vstack([xc, np.sqrt(n * l2) * np.eye(d)])
        yc = np.concatenate([yc, np.zeros(d)])
    w = np.linalg.lstsq(xc, yc, rcond=None)[0]  # QR/SVD on X itself: never forms X^T X
    return w, float(y_mean - x_mean @ w)


def gd_step(w, b, X, y, lr, l2=0.0):
    """One full-batch gradient-descent step on mean((X @ w + b - y)**2) + l2 * ||w||**2.

    Returns (w_new, b_new): w_new has w's shape and dtype, b_new is a float.
    """
    n = X.shape[0]
    r = X @ w + b - y
    dw = (2.0 / n) * (X.T @ r) + 2.0 * l2 * w
    db = (2.0 / n) * r.sum() + 2.0 * l2 * b
    return (w - lr * dw).astype(w.dtype), float(b - lr * db)
