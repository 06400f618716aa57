"""A tied (positive, negative) pair counts 1 instead of 1/2 (>=).
分数相同的（正，负）样本对记为 1，而不是 1/2（用了 >=）。
"""
import numpy as np


def roc_auc(y_true, scores):
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    neg_sorted = np.sort(scores[~pos])
    at_or_below = np.searchsorted(neg_sorted, scores[pos], side="right")  # negatives <= each positive
    return float(at_or_below.sum() / (n_pos * n_neg))
