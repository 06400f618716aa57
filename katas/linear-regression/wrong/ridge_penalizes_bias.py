"""The closed form appends a column of ones and penalizes the bias together with the weights.
闭式解拼上一列 1，把偏置和权重一起加了惩罚。
"""
import numpy as np


def fit_closed_form(X, y, l2=0.0):
    """The exact minimizer of mean((X @ w + b - y)**2) + l2 * ||w||**2 (the bias b is not penalized).

    X: (N, D); y: (N,). Returns (w, b): w of shape (D,), b a float.
    """
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    t = y
    if l2 > 0:
        A = np.vstack([A, np.sqrt(n * l2) * np.eye(d + 1)])
        t = np.concatenate([y, np.zeros(d + 1)])
    p = np.linalg.lstsq(A, t, rcond=None)[0]
    return p[:d], float(p[d])


def gd_step(w, b, X, y, lr, l2=0.0):
    """One full-batch gradient-descent step on mean((X @ w + b - y)**2) + l2 * ||w||**2.

    Returns (w_new, b_new): w_new has w's shape and dtype, b_new is a float.
    """
    n = X.shape[0]
    r = X @ w + b - y
    dw = (2.0 / n) * (X.T @ r) + 2.0 * l2 * w
    db = (2.0 / n) * r.sum()
    return (w - lr * dw).astype(w.dtype), float(b - lr * db)
