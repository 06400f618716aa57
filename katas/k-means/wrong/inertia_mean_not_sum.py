"""The inertia averages the squared distances over points instead of summing them.
惯性对距离平方按点取了平均，而不是求和。
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
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(c)
        np.add.at(sums, labels, X)
        filled = counts > 0
        c[filled] = sums[filled] / counts[filled, None]  # an empty cluster keeps its centre
    labels, d2 = _assign(X, c)
    inertia = float(d2[np.arange(X.shape[0]), labels].mean())
    return c, labels, inertia
