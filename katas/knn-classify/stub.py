import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    """k-nearest-neighbour classification with Euclidean distance.

    X_train: (N, D) float64; y_train: (N,) non-negative int labels; X_test: (M, D) float64; 1 <= k <= N.
    Returns (M,) int64 predicted labels. Distance ties: the lower training index counts as nearer;
    vote ties: the smallest label wins.
    """
    raise NotImplementedError("write knn_predict")
