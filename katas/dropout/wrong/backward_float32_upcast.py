"""The backward multiplies by keep_mask.astype(float): float32 gradients come back float64.
反向乘的是 keep_mask.astype(float)：float32 的梯度返回成了 float64。
"""
import numpy as np


def dropout_forward(x, keep_mask, p, train=True):
    """Inverted dropout with a given mask. p is the DROP probability; keep_mask is True where kept.

    Training: x * keep_mask / (1 - p). Evaluation: x unchanged (a copy).
    """
    if not train or p == 0:
        return x.copy()
    return np.where(keep_mask, x / (1.0 - p), 0.0).astype(x.dtype, copy=False)


def dropout_backward(dout, keep_mask, p):
    """Gradient of the training-mode forward pass: dout * keep_mask / (1 - p)."""
    return dout * keep_mask.astype(float) / (1.0 - p)
