"""An empty cluster's centre becomes the mean of no points, which is NaN.
空簇的中心取了空集合的均值，变成 NaN。
"""
import numpy as np


def _assign(X, centres):
    """Index of the nearest centre for each row (squared Euclidean); argmin breaks ties to the lowest index."""
    d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # (N, K)
    return np.argmin(d2, axis=1), d2


def kmeans(X, centres, n_iter):
    """n_iter Lloyd iterations from the given centres.

    X: (N, D); centres: (K, D); n_iter >= 0. Returns (centres, labels, inertia): the final centres (K, D),
    each point's nearest final centre (N,) as integers, and the sum of squared distances to it.
    """
    c = centres.copy()
    k = c.shape[0]
    for _ in range(n_iter):
        labels, _ = _assign(X, c)
        c = np.array([X[labels == j].mean(axis=0) for j in range(k)], dtype=X.dtype)
    labels, d2 = _assign(X, c)
    inertia = float(d2[np.arange(X.shape[0]), labels].sum())
    return c, labels, inertia
