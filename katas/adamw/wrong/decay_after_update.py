"""Decay applied to the already-updated weights: (w - lr * step) * (1 - lr * weight_decay).
衰减作用在已经更新过的权重上：写成了 (w - lr * step) * (1 - lr * weight_decay)。
"""
import numpy as np


def adamw_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """One AdamW step (decoupled weight decay), as torch.optim.AdamW computes it.

    m, v: the running moment estimates (w's shape); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new) with the shape and dtype of w.
    """
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    w_new = (w - lr * m_hat / (np.sqrt(v_hat) + eps)) * (1 - lr * weight_decay)
    return w_new, m_new, v_new
