"""Gets the gradient's sign backwards: (y - sigmoid(z)) / N.
梯度的符号弄反了：(y - sigmoid(z)) / N。
"""
import numpy as np


def bce_with_logits(z, y):
    per_example = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    e = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(per_example.mean()), (y - sig) / z.shape[0]
