"""Indexes log_probs[:, y] (an N x N block) and averages all of it, instead of one entry per row.
用 log_probs[:, y] 取出了 N x N 的块并对整块求平均，而不是每行取一个元素。
"""
import numpy as np


def softmax_cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    d = np.exp(log_probs)
    d[np.arange(n), y] -= 1.0
    return float(-log_probs[:, y].mean()), d / n
