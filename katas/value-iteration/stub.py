import numpy as np


def value_iteration(P, R, gamma, tol=1e-10):
    """P (S, A, S) transitions, R (S, A) rewards. Returns (V (S,) float64, greedy policy (S,) int64)."""
    raise NotImplementedError("write value_iteration")
