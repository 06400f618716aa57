"""eps inside the square root: sqrt(v_hat + eps) instead of sqrt(v_hat) + eps.
eps 放进了开方里：写成了 sqrt(v_hat + eps) 而不是 sqrt(v_hat) + eps。
"""
import numpy as np


def adamw_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """One AdamW step (decoupled weight decay), as torch.optim.AdamW computes it.

    m, v: the running moment estimates (w's shape); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new) with the shape and dtype of w.
    """
    decayed = w * (1 - lr * weight_decay)  # decoupled: shrinks w directly, never enters m or v
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    w_new = decayed - lr * m_hat / (np.sqrt(v_hat + eps))
    return w_new, m_new, v_new
