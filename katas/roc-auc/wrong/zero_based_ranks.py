"""Mann-Whitney with 0-based ranks but the 1-based correction n_pos (n_pos + 1) / 2, so AUC comes out 1 / n_neg too low.
Mann-Whitney 用了从 0 开始的名次，却减去了按从 1 开始计算的 n_pos (n_pos + 1) / 2，结果比 AUC 少了 1 / n_neg。
"""
import numpy as np


def roc_auc(y_true, scores):
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    _, group, counts = np.unique(scores, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts  # 0-based rank of each group's first member
    avg = start + (counts - 1) / 2  # 0-based average rank
    ranks = avg[group.ravel()]
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
