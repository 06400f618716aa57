"""The data is centred with each row's mean (axis=1) instead of each column's mean.
中心化时减去的是每行的均值（axis=1），而不是每列的均值。
"""
import numpy as np


def pca(X, k):
    """The first k principal components of X (N, D) from the SVD of the centred data.

    Returns (components, explained_variance, explained_variance_ratio) of shapes (k, D), (k,), (k,).
    Each component's entry of largest absolute value is positive.
    """
    xc = X - X.mean(axis=1, keepdims=True)
    _, s, vt = np.linalg.svd(xc, full_matrices=False)  # singular values in decreasing order
    components = vt[:k]
    # fix the sign: the largest-|value| entry of each component positive
    biggest = components[np.arange(k), np.argmax(np.abs(components), axis=1)]
    components = components * np.where(biggest < 0, -1, 1).astype(X.dtype)[:, None]
    var = s**2 / (X.shape[0] - 1)  # sample variance along each direction (N - 1)
    return components, var[:k], var[:k] / var.sum()  # ratio over the total variance, all directions
