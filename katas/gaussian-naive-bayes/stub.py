import numpy as np


def gaussian_nb(X_train, y_train, X_test, var_smoothing=1e-9):
    """Gaussian naive Bayes: fit on (X_train, y_train), then score X_test.

    X_train: (N, D) float64; y_train: (N,) int labels; X_test: (M, D) float64.
    Per class: prior = class frequency, per-feature mean and biased variance; every variance gets
    eps = var_smoothing * (largest per-feature variance of X_train) added.
    Returns (log_proba, pred): (M, C) float64 log posteriors, columns in the order of the sorted distinct
    labels, and (M,) int64 predicted labels (ties: the smallest label).
    """
    raise NotImplementedError("write gaussian_nb")
