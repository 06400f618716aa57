"""Vote ties go to the label met first in distance order (Counter.most_common), not the smallest label.
票数相同时取按距离排序最先出现的标签（Counter.most_common 的行为），而不是最小的标签。
"""
from collections import Counter

import numpy as np


def knn_predict(X_train, y_train, X_test, k):
    dist2 = ((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    nearest = np.argsort(dist2, axis=1, kind="stable")[:, :k]
    return np.array([Counter(row.tolist()).most_common(1)[0][0] for row in y_train[nearest]], dtype=np.int64)
