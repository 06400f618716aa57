"""Thresholds between consecutive sorted values, repeats included, so a repeated value v gives the threshold v itself.
阈值取在排序后相邻的值之间，没有去重，于是重复的取值 v 会产生阈值 v 本身。
"""
import numpy as np


def _impurity(counts, criterion):
    n = counts.sum(axis=-1, keepdims=True)
    p = counts / np.maximum(n, 1)
    if criterion == "gini":
        return 1.0 - (p**2).sum(axis=-1)
    return -(p * np.log2(np.where(p > 0, p, 1.0))).sum(axis=-1)


def best_split(X, y, criterion="gini"):
    n, d = X.shape
    if n < 2:
        return -1, 0.0, 0.0
    onehot = (y[:, None] == np.arange(y.max() + 1)).astype(np.float64)
    best = None
    for j in range(d):
        xs = np.sort(X[:, j])
        for thr in (xs[:-1] + xs[1:]) / 2:
            go_left = X[:, j] <= thr
            if go_left.all():
                continue
            nl = go_left.sum()
            left, right = onehot[go_left].sum(axis=0), onehot[~go_left].sum(axis=0)
            gain = _impurity(onehot.sum(axis=0), criterion) - (
                nl * _impurity(left, criterion) + (n - nl) * _impurity(right, criterion)) / n
            if best is None or gain > best[2] + 1e-9:
                best = (j, float(thr), float(gain))
    return best if best is not None else (-1, 0.0, 0.0)
