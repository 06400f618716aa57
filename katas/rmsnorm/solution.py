import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    """RMSNorm over the last axis: x / sqrt(mean(x**2) + eps) * weight. x (..., D), weight (D,)."""
    inv_rms = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)  # (..., 1), eps inside the sqrt
    return x * inv_rms * weight


def rmsnorm_backward(dout, x, weight, eps=1e-6):
    """Gradients of rmsnorm_forward. Returns (dx (..., D), dweight (D,) summed over the leading axes)."""
    inv_rms = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv_rms
    dweight = (dout * xhat).sum(axis=tuple(range(x.ndim - 1)))
    g = dout * weight
    # the rms depends on every feature of the row: one correction term along xhat
    dx = inv_rms * (g - xhat * np.mean(g * xhat, axis=-1, keepdims=True))
    return dx, dweight
