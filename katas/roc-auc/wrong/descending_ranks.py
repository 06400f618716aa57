"""Ranks the scores in descending order, which gives 1 - AUC (the chance that the negative scores higher).
按分数从高到低排名次，得到的是 1 - AUC（负样本得分更高的概率）。
"""
import numpy as np


def roc_auc(y_true, scores):
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    _, group, counts = np.unique(-scores, return_inverse=True, return_counts=True)  # rank 1 = highest score
    avg = np.cumsum(counts) - (counts - 1) / 2
    ranks = avg[group.ravel()]
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
