"""Picks one log term per example by y == 1 (hard labels only): a soft label gets the wrong loss.
按 y == 1 给每个样本只选一个对数项（只适用于硬标签）：软标签的损失算错了。
"""
import numpy as np


def bce_with_logits(z, y):
    softplus_neg = np.maximum(-z, 0) + np.log1p(np.exp(-np.abs(z)))  # -ln sigmoid(z)
    softplus_pos = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))   # -ln(1 - sigmoid(z))
    per_example = np.where(y == 1, softplus_neg, softplus_pos)
    e = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(per_example.mean()), (sig - y) / z.shape[0]
