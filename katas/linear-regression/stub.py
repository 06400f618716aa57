import numpy as np


def fit_closed_form(X, y, l2=0.0):
    """The exact minimizer of mean((X @ w + b - y)**2) + l2 * ||w||**2; the bias b is not penalized.

    X: (N, D); y: (N,); l2 >= 0. Returns (w, b): w of shape (D,), b a float.
    """
    raise NotImplementedError("write fit_closed_form")


def gd_step(w, b, X, y, lr, l2=0.0):
    """One full-batch gradient-descent step on the same loss.

    w: (D,); b: float; X: (N, D); y: (N,). Returns (w_new, b_new): w_new like w, b_new a float.
    """
    raise NotImplementedError("write gd_step")
