import numpy as np


def kmeans(X, centres, n_iter):
    """n_iter Lloyd iterations of k-means from the given initial centres.

    X: (N, D); centres: (K, D); n_iter >= 0.
    Returns (centres, labels, inertia): final centres (K, D), labels (N,) of integers, inertia a float.
    """
    raise NotImplementedError("write kmeans")
