"""Squared distance expanded as |a|^2 - 2 a.b, dropping the |b|^2 term of the training point.
平方距离展开成 |a|^2 - 2 a.b，漏掉了训练点的 |b|^2 项。
"""
import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    dist2 = (X_test**2).sum(axis=1)[:, None] - 2 * X_test @ X_train.T
    nearest = np.argsort(dist2, axis=1, kind="stable")[:, :k]
    labels = y_train[nearest]
    classes = np.unique(y_train)
    votes = (labels[:, :, None] == classes).sum(axis=1)
    return classes[np.argmax(votes, axis=1)].astype(np.int64)
