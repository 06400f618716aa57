"""Stops after a fixed 20 backups instead of iterating to the tolerance.
固定做 20 次备份就停止，而不是迭代到满足 tol。
"""
import numpy as np


def value_iteration(P, R, gamma, tol=1e-10):
    """Optimal state values and a greedy policy of a finite MDP.

    P: (S, A, S) transition probabilities P[s, a, s']; R: (S, A) expected immediate rewards.
    Synchronous Bellman optimality backups from V = 0 until max |V_new - V| < tol.
    Returns (V (S,) float64, policy (S,) int64 with ties broken toward the lowest action index).
    """
    V = np.zeros(P.shape[0])
    for _ in range(20):
        V = (R + gamma * (P @ V)).max(axis=1)
    Q = R + gamma * (P @ V)
    return V, np.argmax(Q, axis=1).astype(np.int64)
