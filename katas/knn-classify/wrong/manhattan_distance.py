"""Manhattan (L1) distance instead of Euclidean.
用了曼哈顿（L1）距离，而不是欧氏距离。
"""
import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    dist = np.abs(X_test[:, None, :] - X_train[None, :, :]).sum(axis=-1)
    nearest = np.argsort(dist, axis=1, kind="stable")[:, :k]
    labels = y_train[nearest]
    classes = np.unique(y_train)
    votes = (labels[:, :, None] == classes).sum(axis=1)
    return classes[np.argmax(votes, axis=1)].astype(np.int64)
