"""The paper's "efficient" form: eps added to the uncorrected sqrt(v_new), with the corrections folded into lr.
用了论文里的“高效”写法：把偏差修正并入 lr，eps 加在未修正的 sqrt(v_new) 上。
"""
import numpy as np


def adam_step(w, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma and Ba) for parameters w with gradient g.

    m, v: the running first and second moment estimates (w's shape); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new).
    """
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    w_new = w - lr_t * m_new / (np.sqrt(v_new) + eps)
    return w_new, m_new, v_new
