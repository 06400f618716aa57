"""Computes sigmoid first and then takes logs: overflows to inf/nan for large |z|.
先算 sigmoid 再取对数：|z| 很大时溢出成 inf/nan。
"""
import numpy as np


def bce_with_logits(z, y):
    with np.errstate(all="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
        loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(loss.mean()), (p - y) / z.shape[0]
