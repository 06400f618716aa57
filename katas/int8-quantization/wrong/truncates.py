"""Casts to int8 without rounding: values are truncated toward zero.
没有 round 就直接转成 int8：数值被向零截断。
"""
import numpy as np


def quantize_symmetric(w, axis=None):
    """Symmetric int8 quantization of w, per tensor (axis=None) or one scale per index along `axis`.

    Returns (q, scale): q int8 with w's shape; scale float64, shape () per tensor, or w's shape with
    every dimension except `axis` set to 1 per channel, so that q * scale broadcasts back to w.
    """
    w = np.asarray(w)
    if axis is None:
        amax = np.max(np.abs(w))
    else:
        axis = axis % w.ndim
        others = tuple(d for d in range(w.ndim) if d != axis)
        amax = np.max(np.abs(w), axis=others, keepdims=True)
    amax = np.asarray(amax, dtype=np.float64)
    scale = np.where(amax > 0, amax / 127.0, 1.0)
    q = np.clip(w / scale, -127, 127).astype(np.int8)
    return q, scale


def dequantize(q, scale):
    """float64 approximation of the original tensor: q * scale."""
    return q.astype(np.float64) * scale
