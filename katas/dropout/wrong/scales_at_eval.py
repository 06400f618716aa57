"""Multiplies by 1 - p at evaluation as well, mixing the inverted and the original scheme.
评估时也乘了 1 - p，把反向缩放和原始方案混在了一起。
"""
import numpy as np


def dropout_forward(x, keep_mask, p, train=True):
    """Inverted dropout with a given mask. p is the DROP probability; keep_mask is True where kept.

    Training: x * keep_mask / (1 - p). Evaluation: x unchanged (a copy).
    """
    if not train:
        return x * (1.0 - p)
    if p == 0:
        return x.copy()
    return np.where(keep_mask, x / (1.0 - p), 0.0).astype(x.dtype, copy=False)


def dropout_backward(dout, keep_mask, p):
    """Gradient of the training-mode forward pass: dout * keep_mask / (1 - p)."""
    if p == 0:
        return dout.copy()
    return np.where(keep_mask, dout / (1.0 - p), 0.0).astype(dout.dtype, copy=False)
