"""Ties are broken in (position in the sorted column, feature) order instead of (feature, threshold) order.
平局时按（排序后列中的位置，特征）的顺序取，而不是按（特征，阈值）的顺序。
"""
import numpy as np


def _impurity(counts, criterion):
    n = counts.sum(axis=-1, keepdims=True)
    p = counts / np.maximum(n, 1)
    if criterion == "gini":
        return 1.0 - (p**2).sum(axis=-1)
    return -(p * np.log2(np.where(p > 0, p, 1.0))).sum(axis=-1)


def best_split(X, y, criterion="gini"):
    n = X.shape[0]
    if n < 2:
        return -1, 0.0, 0.0
    onehot = (y[:, None] == np.arange(y.max() + 1)).astype(np.float64)
    order = np.argsort(X, axis=0, kind="stable")
    xs = np.take_along_axis(X, order, axis=0)
    left = np.cumsum(onehot[order], axis=0)[:-1]
    right = onehot.sum(axis=0) - left
    n_left = np.arange(1, n)[:, None]
    child = (n_left * _impurity(left, criterion) + (n - n_left) * _impurity(right, criterion)) / n
    gain = _impurity(onehot.sum(axis=0), criterion) - child
    valid = xs[:-1] < xs[1:]
    if not valid.any():
        return -1, 0.0, 0.0
    flat = np.where(valid, gain, -np.inf).ravel()  # (N-1, D) raveled: position-major, the transpose forgotten
    best = int(np.argmax(flat >= flat.max() - 1e-9))
    i, j = divmod(best, X.shape[1])
    return int(j), float((xs[i, j] + xs[i + 1, j]) / 2), float(flat[best])
