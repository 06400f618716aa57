"""The step updates w first and then computes the bias gradient from residuals with the new w (not a simultaneous step).
梯度下降先更新 w，再用新的 w 重新算残差来求偏置的梯度（不是同时更新）。
"""
import numpy as np


def fit_closed_form(X, y, l2=0.0):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    xc, yc = X - x_mean, y - y_mean
    n, d = X.shape
    if l2 > 0:
        xc = np.vstack([xc, np.sqrt(n * l2) * np.eye(d)])
        yc = np.concatenate([yc, np.zeros(d)])
    w = np.linalg.lstsq(xc, yc, rcond=None)[0]
    return w, float(y_mean - x_mean @ w)


def gd_step(w, b, X, y, lr, l2=0.0):
    n = X.shape[0]
    r = X @ w + b - y
    w_new = w - lr * ((2.0 / n) * (X.T @ r) + 2.0 * l2 * w)
    r_new = X @ w_new + b - y  # the mistake: the bias step must use the residuals at the old w
    return w_new.astype(w.dtype), float(b - lr * (2.0 / n) * r_new.sum())
