"""The step updates w first and then computes the bias gradient from logits with the new w (not a simultaneous step).
先更新 w，再用新的 w 重新算 logit 来求偏置的梯度（不是同时更新）。
"""
import numpy as np


def logistic_step(w, b, X, y, lr, l2=0.0):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(w * w)
    p = np.exp(-np.logaddexp(0, -z))
    w_new = w - lr * (X.T @ (p - y) / X.shape[0] + 2 * l2 * w)
    p_new = np.exp(-np.logaddexp(0, -(X @ w_new + b)))  # the mistake: the bias step must use the old w
    return w_new.astype(w.dtype), float(b - lr * (p_new - y).mean()), float(loss)
