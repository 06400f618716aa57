"""Ties go to the highest-index centre (a loop that keeps a centre when its distance is <= the best so far).
距离相等时归入了下标最大的中心（循环里用 <= 比较，后面的中心会覆盖前面的）。
"""
import numpy as np


def _assign(X, centres):
    """Index of the nearest centre for each row (squared Euclidean); argmin breaks ties to the lowest index."""
    d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # (N, K)
    labels = np.zeros(X.shape[0], dtype=np.int64)
    best = np.full(X.shape[0], np.inf)
    for j in range(centres.shape[0]):
        closer = d2[:, j] <= best
        labels[closer], best[closer] = j, d2[closer, j]
    return labels, d2


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
    inertia = float(d2[np.arange(X.shape[0]), labels].sum())
    return c, labels, inertia
