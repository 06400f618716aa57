"""Returns the V the last backup started from instead of that backup's V_new (visible under a loose tol).
返回的是最后一次备份开始前的 V，而不是这次备份得到的 V_new（tol 宽松时能看出来）。
"""
import numpy as np


def value_iteration(P, R, gamma, tol=1e-10):
    """Optimal state values and a greedy policy of a finite MDP.

    P: (S, A, S) transition probabilities P[s, a, s']; R: (S, A) expected immediate rewards.
    Synchronous Bellman optimality backups from V = 0 until max |V_new - V| < tol.
    Returns (V (S,) float64, policy (S,) int64 with ties broken toward the lowest action index).
    """
    V = np.zeros(P.shape[0])
    while True:
        Q = R + gamma * (P @ V)
        V_new = Q.max(axis=1)
        if np.max(np.abs(V_new - V)) < tol:
            break
        V = V_new
    Q = R + gamma * (P @ V)
    return V, np.argmax(Q, axis=1).astype(np.int64)
