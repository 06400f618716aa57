"""Tracks |g| instead of g**2 in the second moment.
二阶矩累积的是 |g| 而不是 g**2。
"""
import numpy as np


def adam_step(w, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma and Ba) for parameters w with gradient g.

    m, v: the running first and second moment estimates (w's shape); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new).
    """
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * np.abs(g)
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new
