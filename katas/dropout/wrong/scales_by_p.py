"""Divides by p instead of 1 - p (treats p as the keep probability).
除以 p 而不是 1 - p（把 p 当成了保留概率）。
"""
import numpy as np


def dropout_forward(x, keep_mask, p, train=True):
    """Inverted dropout with a given mask. p is the DROP probability; keep_mask is True where kept.

    Training: x * keep_mask / (1 - p). Evaluation: x unchanged (a copy).
    """
    if not train or p == 0:
        return x.copy()
    return np.where(keep_mask, x / p, 0.0).astype(x.dtype, copy=False)


def dropout_backward(dout, keep_mask, p):
    """Gradient of the training-mode forward pass: dout * keep_mask / (1 - p)."""
    if p == 0:
        return dout.copy()
    return np.where(keep_mask, dout / (1.0 - p), 0.0).astype(dout.dtype, copy=False)
