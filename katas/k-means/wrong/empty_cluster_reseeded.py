"""An empty cluster's centre is moved to the point farthest from its own centre (a library's habit) instead of staying put.
空簇的中心被移到离其所属中心最远的那个点上（某些库的做法），而不是保持不动。
"""
import numpy as np


def _assign(X, centres):
    d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # (N, K)
    return np.argmin(d2, axis=1), d2


def kmeans(X, centres, n_iter):
    c = centres.copy()
    for _ in range(n_iter):
        labels, d2 = _assign(X, c)
        far = int(np.argmax(d2[np.arange(X.shape[0]), labels]))
        for k in range(c.shape[0]):
            members = X[labels == k]
            c[k] = members.mean(axis=0) if len(members) > 0 else X[far]
    labels, d2 = _assign(X, c)
    return c, labels, float(d2[np.arange(X.shape[0]), labels].sum())
