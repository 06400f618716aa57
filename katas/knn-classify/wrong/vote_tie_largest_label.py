"""Vote ties go to the largest label instead of the smallest.
票数相同时取了最大的标签，而不是最小的。
"""
import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    dist2 = ((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    nearest = np.argsort(dist2, axis=1, kind="stable")[:, :k]
    labels = y_train[nearest]
    classes = np.unique(y_train)[::-1]  # largest label first
    votes = (labels[:, :, None] == classes).sum(axis=1)
    return classes[np.argmax(votes, axis=1)].astype(np.int64)
