"""Builds the ROC one sample at a time (sorted by score), so tied scores make a staircase, not one diagonal step.
逐个样本（按分数排序）构建 ROC 曲线，于是一组相同分数变成了阶梯，而不是一条对角线段。
"""
import numpy as np


def roc_auc(y_true, scores):
    pos = y_true == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(-scores, kind="stable")  # highest score first, ties in index order
    tpr = np.concatenate([[0.0], np.cumsum(pos[order]) / n_pos])
    fpr = np.concatenate([[0.0], np.cumsum(~pos[order]) / n_neg])
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2))  # trapezoids
