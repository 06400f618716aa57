"""The logits are clipped to [-30, 30] before the loss and the sigmoid (an overflow guard), which changes both at large |z|.
计算损失和 sigmoid 之前把 logit 截断到 [-30, 30]（防溢出的习惯写法），|z| 很大时两者都变了。
"""
import numpy as np


def logistic_step(w, b, X, y, lr, l2=0.0):
    z = np.clip(X @ w + b, -30.0, 30.0)
    loss = np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(w * w)
    p = 1.0 / (1.0 + np.exp(-z))
    err = p - y
    dw = X.T @ err / X.shape[0] + 2 * l2 * w
    return (w - lr * dw).astype(w.dtype), float(b - lr * err.mean()), float(loss)
