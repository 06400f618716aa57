"""The sign is fixed on U (each column's largest-|value| entry positive, like scikit-learn's svd_flip), not on the components.
符号是按 U 修正的（让 U 每一列绝对值最大的分量为正，类似 scikit-learn 的 svd_flip），而不是按主成分本身。
"""
import numpy as np


def pca(X, k):
    xc = X - X.mean(axis=0)
    u, s, vt = np.linalg.svd(xc, full_matrices=False)
    signs = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(u.shape[1])]).astype(X.dtype)
    vt = vt * signs[:, None]
    var = s**2 / (X.shape[0] - 1)
    return vt[:k], var[:k], var[:k] / var.sum()
