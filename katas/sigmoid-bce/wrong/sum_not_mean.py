"""Sums the loss over the batch instead of averaging it (the gradient is averaged).
损失对批次求和而不是求平均（梯度却是平均的）。
"""
import numpy as np


def bce_with_logits(z, y):
    per_example = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    e = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(per_example.sum()), (sig - y) / z.shape[0]
