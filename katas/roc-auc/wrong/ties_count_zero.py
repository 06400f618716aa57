"""A tied (positive, negative) pair counts 0 instead of 1/2 (strict >).
分数相同的（正，负）样本对记为 0，而不是 1/2（用了严格的 >）。
"""
import numpy as np


def roc_auc(y_true, scores):
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    neg_sorted = np.sort(scores[~pos])
    below = np.searchsorted(neg_sorted, scores[pos], side="left")  # negatives strictly below
    return float(below.sum() / (n_pos * n_neg))
