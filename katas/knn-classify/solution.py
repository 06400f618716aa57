import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    """k-nearest-neighbour classification with Euclidean distance.

    X_train: (N, D) float64; y_train: (N,) non-negative int labels; X_test: (M, D); 1 <= k <= N.
    Returns (M,) int64 predicted labels. Distance ties: the lower training index is nearer;
    vote ties: the smallest label wins.
    """
    diff = X_test[:, None, :] - X_train[None, :, :]  # (M, N, D)
    dist2 = (diff**2).sum(axis=-1)  # squared distances order the points as the distances do
    nearest = np.argsort(dist2, axis=1, kind="stable")[:, :k]  # stable: equal distances keep index order
    labels = y_train[nearest]  # (M, k)
    classes = np.unique(y_train)  # sorted, so argmax's first maximum is the smallest label
    votes = (labels[:, :, None] == classes).sum(axis=1)  # (M, C)
    return classes[np.argmax(votes, axis=1)].astype(np.int64)
