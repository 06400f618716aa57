"""Returns 0.5 (chance level) when y_true holds one class, instead of nan.
y_true 只有一个类别时返回 0.5（随机水平），而不是 nan。
"""
import numpy as np


def roc_auc(y_true, scores):
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return 0.5
    _, group, counts = np.unique(scores, return_inverse=True, return_counts=True)
    avg = np.cumsum(counts) - (counts - 1) / 2  # 1-based average rank of each group of equal scores
    ranks = avg[group.ravel()]
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
