"""Clips only when total_norm > max_norm, instead of whenever max_norm / (total_norm + eps) < 1.
只在 total_norm > max_norm 时才裁剪，而不是在 max_norm / (total_norm + eps) < 1 时裁剪。
"""
import numpy as np


def clip_grad_norm(grads, max_norm, eps=1e-6):
    """Clip a list of gradient arrays by their global L2 norm.

    Returns (list of new arrays, total norm before clipping as a float).
    """
    total = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads)))
    if total > max_norm:
        scale = max_norm / (total + eps)
        return [(g * scale).astype(g.dtype) for g in grads], total
    return [g.copy() for g in grads], total
