"""Reads the mask the other way round: drops where keep_mask is True.
把掩码读反了：在 keep_mask 为 True 的地方丢弃。
"""
import numpy as np


def dropout_forward(x, keep_mask, p, train=True):
    """Inverted dropout with a given mask. p is the DROP probability; keep_mask is True where kept.

    Training: x * keep_mask / (1 - p). Evaluation: x unchanged (a copy).
    """
    if not train or p == 0:
        return x.copy()
    return np.where(keep_mask, 0.0, x / (1.0 - p)).astype(x.dtype, copy=False)


def dropout_backward(dout, keep_mask, p):
    """Gradient of the training-mode forward pass: dout * keep_mask / (1 - p)."""
    if p == 0:
        return dout.copy()
    return np.where(keep_mask, dout / (1.0 - p), 0.0).astype(dout.dtype, copy=False)
