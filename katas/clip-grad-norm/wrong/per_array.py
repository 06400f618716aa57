"""Clips every array to max_norm on its own instead of using one global norm.
把每个数组各自裁剪到 max_norm，而不是用一个全局范数。
"""
import numpy as np


def clip_grad_norm(grads, max_norm, eps=1e-6):
    out = []
    for g in grads:
        n = float(np.sqrt(np.sum(np.square(g, dtype=np.float64))))
        out.append((g * min(1.0, max_norm / (n + eps))).astype(g.dtype))
    total = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads)))
    return out, total
