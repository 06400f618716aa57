"""Adds the per-array norms instead of taking the norm of everything.
把各数组的范数相加，而不是对全部元素求一个范数。
"""
import numpy as np


def clip_grad_norm(grads, max_norm, eps=1e-6):
    """Clip a list of gradient arrays by their global L2 norm.

    total = sqrt(sum of every squared entry of every array); if max_norm / (total + eps) < 1, every
    array is multiplied by that factor, otherwise all are returned unchanged (never scaled up).
    Returns (list of new arrays, total norm before clipping as a float).
    """
    total = sum(float(np.sqrt(np.sum(np.square(g, dtype=np.float64)))) for g in grads)
    scale = min(1.0, max_norm / (total + eps))
    return [(g * scale).astype(g.dtype, copy=False) for g in grads], total
