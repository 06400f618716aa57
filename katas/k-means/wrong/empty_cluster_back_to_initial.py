"""Each update starts from a copy of the initial centres, so a cluster that empties after moving jumps back to its initial position.
每次更新都从初始中心的副本出发，于是移动过之后才变空的簇会跳回它的初始位置。
"""
import numpy as np


def _assign(X, centres):
    """Index of the nearest centre for each row (squared Euclidean); argmin breaks ties to the lowest index."""
    d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # (N, K)
    return np.argmin(d2, axis=1), d2


def kmeans(X, centres, n_iter):
    """n_iter Lloyd iterations from the given centres.

    X: (N, D); centres: (K, D); n_iter >= 0. Returns (centres, labels, inertia).
    """
    c = centres.copy()
    for _ in range(n_iter):
        labels, _ = _assign(X, c)
        new = centres.copy()  # the mistake: should start from the current centres c
        for k in range(c.shape[0]):
            members = X[labels == k]
            if len(members) > 0:
                new[k] = members.mean(axis=0)
        c = new
    labels, d2 = _assign(X, c)
    inertia = float(d2[np.arange(X.shape[0]), labels].sum())
    return c, labels, inertia
