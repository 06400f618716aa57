"""Subtracts the maximum of the whole batch: a row far below it underflows to 0/0.
减去的是整批的最大值：远低于它的行会下溢成 0/0。
"""
import numpy as np


def softmax_cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max()
    with np.errstate(all="ignore"):
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        d = np.exp(log_probs)
    d[np.arange(n), y] -= 1.0
    return float(-log_probs[np.arange(n), y].mean()), d / n
