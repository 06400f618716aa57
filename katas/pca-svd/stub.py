import numpy as np


def pca(X, k):
    """The first k principal components of X (N, D), via the SVD of the centred data.

    Returns (components, explained_variance, explained_variance_ratio) of shapes (k, D), (k,), (k,);
    the entry of largest absolute value in each component is positive.
    """
    raise NotImplementedError("write pca")
