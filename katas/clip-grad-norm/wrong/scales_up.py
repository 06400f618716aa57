"""Always rescales to max_norm, so small gradients are blown up.
总是缩放到 max_norm，于是小梯度被放大了。
"""
import numpy as np


def clip_grad_norm(grads, max_norm, eps=1e-6):
    """Clip a list of gradient arrays by their global L2 norm.

    total = sqrt(sum of every squared entry of every array); if max_norm / (total + eps) < 1, every
    array is multiplied by that factor, otherwise all are returned unchanged (never scaled up).
    Returns (list of new arrays, total norm before clipping as a float).
    """
    total = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads)))
    scale = max_norm / (total + eps)
    return [(g * scale).astype(g.dtype, copy=False) for g in grads], total
