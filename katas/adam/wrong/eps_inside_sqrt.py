"""Adds eps inside the square root (sqrt(v_hat + eps)) instead of after it.
把 eps 加在了开方里面（sqrt(v_hat + eps)），而不是开方之后。
"""
import numpy as np


def adam_step(w, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma and Ba) for parameters w with gradient g.

    m, v: the running first and second moment estimates (w's shape); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new).
    """
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    w_new = w - lr * m_hat / np.sqrt(v_hat + eps)
    return w_new, m_new, v_new
