"""Fills the predictions into np.zeros(M), so the labels come back as float64 instead of int64.
把预测结果填进 np.zeros(M)，标签变成了 float64，而不是 int64。
"""
import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    pred = np.zeros(X_test.shape[0])
    for q in range(X_test.shape[0]):
        dist2 = ((X_train - X_test[q]) ** 2).sum(axis=1)
        nearest = np.argsort(dist2, kind="stable")[:k]
        counts = np.bincount(y_train[nearest])
        pred[q] = np.argmax(counts)
    return pred
