"""Drops the nearest neighbour as if it were the query itself (leave-one-out habit), using neighbours 2 .. k + 1.
把最近邻当成查询点自身丢掉了（留一法的习惯），用的是第 2 到第 k + 1 个近邻。
"""
import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    dist2 = ((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    order = np.argsort(dist2, axis=1, kind="stable")
    nearest = order[:, 1:k + 1] if order.shape[1] > k else order[:, :k]
    labels = y_train[nearest]
    classes = np.unique(y_train)
    votes = (labels[:, :, None] == classes).sum(axis=1)
    return classes[np.argmax(votes, axis=1)].astype(np.int64)
