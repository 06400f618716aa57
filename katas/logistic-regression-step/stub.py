import numpy as np


def logistic_step(w, b, X, y, lr, l2=0.0):
    """One gradient-descent step of L2-regularized logistic regression (mean log loss; b not penalized).

    w: (D,); b: float; X: (N, D); y: (N,) of 0s and 1s; lr, l2: floats.
    Returns (w_new, b_new, loss): w_new like w, b_new a float, loss a float (the loss at the input w, b).
    """
    raise NotImplementedError("write logistic_step")
