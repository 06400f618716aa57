import numpy as np


def adam_step(w, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update. w, g, m, v: arrays of one shape; t: step number from 1.

    Returns (w_new, m_new, v_new).
    """
    raise NotImplementedError("write adam_step")
