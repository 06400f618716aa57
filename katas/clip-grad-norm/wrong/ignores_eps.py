"""Accepts eps and then ignores it (a hard-coded 1e-6 in the denominator).
接受了 eps 参数却没有使用（分母里写死了 1e-6）。
"""
import numpy as np


def clip_grad_norm(grads, max_norm, eps=1e-6):
    """Clip a list of gradient arrays by their global L2 norm.

    Returns (list of new arrays, total norm before clipping as a float).
    """
    total = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads)))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [(g * scale).astype(g.dtype, copy=False) for g in grads], total
