"""Log-sum-exp shifted by the maximum of the whole (M, C) matrix instead of each row's, so a far row underflows.
log-sum-exp 减去的是整个 (M, C) 矩阵的最大值而不是每行的最大值，于是远处的点所在的行会下溢。
"""
import numpy as np


def gaussian_nb(X_train, y_train, X_test, var_smoothing=1e-9):
    """Gaussian naive Bayes: fit on (X_train, y_train), then score X_test.

    X_train: (N, D) float64; y_train: (N,) int labels; X_test: (M, D) float64.
    Returns (log_proba, pred): (M, C) float64 log posteriors over the sorted distinct labels, and (M,) int64
    predicted labels (ties: the smallest label).
    """
    classes, y_idx, counts = np.unique(y_train, return_inverse=True, return_counts=True)
    onehot = (y_idx[:, None] == np.arange(classes.size)).astype(np.float64)  # (N, C)
    mean = onehot.T @ X_train / counts[:, None]  # (C, D)
    # biased per-class variance, two-pass (subtract each row's class mean first)
    var = onehot.T @ (X_train - mean[y_idx]) ** 2 / counts[:, None]
    var = var + var_smoothing * X_train.var(axis=0).max()  # one epsilon for every class and feature
    log_prior = np.log(counts / y_train.size)
    # joint log-likelihood (M, C): log prior + sum over features of the log normal density
    sq = ((X_test[:, None, :] - mean[None]) ** 2 / var[None]).sum(axis=-1)
    jll = log_prior - 0.5 * np.log(2 * np.pi * var).sum(axis=-1) - 0.5 * sq
    top = jll.max()  # one shift for every row
    log_proba = jll - (top + np.log(np.exp(jll - top).sum(axis=1, keepdims=True)))
    pred = classes[np.argmax(jll, axis=1)].astype(np.int64)  # first maximum: the smallest label on ties
    return log_proba, pred
