"""Solves the centred normal equations (Xc^T Xc) w = Xc^T yc with np.linalg.solve even when l2 = 0, which squares the condition number.
l2 = 0 时也用 np.linalg.solve 解中心化后的正规方程 (Xc^T Xc) w = Xc^T yc，条件数被平方。
"""
import numpy as np


def fit_closed_form(X, y, l2=0.0):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    xc = X - x_mean
    n, d = X.shape
    w = np.linalg.solve(xc.T @ xc + n * l2 * np.eye(d), xc.T @ (y - y_mean))
    return w, float(y_mean - x_mean @ w)


def gd_step(w, b, X, y, lr, l2=0.0):
    n = X.shape[0]
    r = X @ w + b - y
    dw = (2.0 / n) * (X.T @ r) + 2.0 * l2 * w
    return (w - lr * dw).astype(w.dtype), float(b - lr * (2.0 / n) * r.sum())
