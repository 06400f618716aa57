"""Steps with the moments from before this update (m and v instead of m_new and v_new).
用本次更新之前的矩（m 和 v，而不是 m_new 和 v_new）来走这一步。
"""
import numpy as np


def adam_step(w, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma and Ba) for parameters w with gradient g.

    m, v: the running first and second moment estimates (w's shape); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new).
    """
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t) + 1e-30
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new
