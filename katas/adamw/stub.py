import numpy as np


def adamw_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """One AdamW step with decoupled weight decay, as torch.optim.AdamW computes it.

    w, g, m, v: same shape (float64 or float32); t: the step number, starting at 1.
    Returns (w_new, m_new, v_new): new arrays with the shape and dtype of w.
    """
    raise NotImplementedError("write adamw_step")
