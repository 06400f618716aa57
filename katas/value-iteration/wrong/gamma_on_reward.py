"""Discounts the immediate reward too: gamma * (R + P V).
把即时奖励也打了折：gamma * (R + P V)。
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
        Q = gamma * (R + P @ V)
        V_new = Q.max(axis=1)
        done = np.max(np.abs(V_new - V)) < tol
        V = V_new
        if done:
            break
    Q = R + gamma * (P @ V)
    return V, np.argmax(Q, axis=1).astype(np.int64)
