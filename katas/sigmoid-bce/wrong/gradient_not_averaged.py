"""Returns the per-example gradient sigmoid(z) - y without the 1/N of the mean.
返回的是逐样本梯度 sigmoid(z) - y，少了求平均带来的 1/N。
"""
import numpy as np


def bce_with_logits(z, y):
    per_example = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    e = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(per_example.mean()), sig - y
