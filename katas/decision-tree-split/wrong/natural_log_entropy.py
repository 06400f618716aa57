"""Entropy with the natural log (nats) instead of log2 (bits).
熵用了自然对数（奈特），而不是以 2 为底（比特）。
"""
import numpy as np


def _impurity(counts, criterion):
    """Impurity of each row of class counts (..., K); an empty row has impurity 0."""
    n = counts.sum(axis=-1, keepdims=True)
    p = counts / np.maximum(n, 1)
    if criterion == "gini":
        return 1.0 - (p**2).sum(axis=-1)
    # entropy in bits, with 0 * log2(0) = 0
    return -(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=-1)


def best_split(X, y, criterion="gini"):
    """Best single split of one node over every feature and every midpoint threshold.

    X: (N, D) float64; y: (N,) non-negative int labels; criterion: "gini" or "entropy" (bits).
    Returns (feature, threshold, gain): the split x[:, feature] <= threshold goes left. Ties (gains within
    1e-9 of the best) go to the lowest feature, then the lowest threshold; no valid split gives (-1, 0.0, 0.0).
    """
    n = X.shape[0]
    if n < 2:
        return -1, 0.0, 0.0
    onehot = (y[:, None] == np.arange(y.max() + 1)).astype(np.float64)  # (N, K)
    order = np.argsort(X, axis=0, kind="stable")  # (N, D)
    xs = np.take_along_axis(X, order, axis=0)  # each column sorted
    left = np.cumsum(onehot[order], axis=0)[:-1]  # (N-1, D, K): counts of the first i+1 sorted rows
    right = onehot.sum(axis=0) - left
    n_left = np.arange(1, n)[:, None]  # (N-1, 1)
    child = (n_left * _impurity(left, criterion) + (n - n_left) * _impurity(right, criterion)) / n
    gain = _impurity(onehot.sum(axis=0), criterion) - child  # (N-1, D)
    valid = xs[:-1] < xs[1:]  # a threshold only between two distinct values
    if not valid.any():
        return -1, 0.0, 0.0
    gain = np.where(valid, gain, -np.inf).T  # (D, N-1): row-major order = (feature, threshold) order
    flat = gain.ravel()
    best = int(np.argmax(flat >= flat.max() - 1e-9))  # the first split within 1e-9 of the best
    j, i = divmod(best, n - 1)
    threshold = (xs[i, j] + xs[i + 1, j]) / 2
    return int(j), float(threshold), float(flat[best])
