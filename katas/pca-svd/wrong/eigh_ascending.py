"""The components come from np.linalg.eigh of the covariance, whose eigenvalues are ascending, without reversing the order.
主成分取自协方差矩阵的 np.linalg.eigh，其特征值是升序的，却没有把顺序反过来。
"""
import numpy as np


def pca(X, k):
    """The first k principal components of X (N, D) from the SVD of the centred data.

    Returns (components, explained_variance, explained_variance_ratio) of shapes (k, D), (k,), (k,).
    Each component's entry of largest absolute value is positive.
    """
    xc = X - X.mean(axis=0)
    vals, vecs = np.linalg.eigh(xc.T @ xc)  # ascending order
    s, vt = np.sqrt(np.clip(vals, 0, None)), vecs.T
    components = vt[:k]
    # fix the sign: the largest-|value| entry of each component positive
    biggest = components[np.arange(k), np.argmax(np.abs(components), axis=1)]
    components = components * np.where(biggest < 0, -1, 1).astype(X.dtype)[:, None]
    var = s**2 / (X.shape[0] - 1)  # sample variance along each direction (N - 1)
    return components, var[:k], var[:k] / var.sum()  # ratio over the total variance, all directions
