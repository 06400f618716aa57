"""Contracts V with the wrong axis of P (sums over the source state instead of the next state).
V 与 P 缩并时用错了轴（对出发状态求和，而不是对下一状态求和）。
"""
import numpy as np


def value_iteration(P, R, gamma, tol=1e-10):
    """Optimal state values and a greedy policy of a finite MDP.

    P: (S, A, S) transition probabilities P[s, a, s']; R: (S, A) expected immediate rewards.
    Synchronous Bellman optimality backups from V = 0 until max |V_new - V| < tol.
    Returns (V (S,) float64, policy (S,) int64 with ties broken toward the lowest action index).
    """
    V = np.zeros(P.shape[0])
    for _ in range(5000):  # (capped so that this known-wrong file fails fast in the test suite)
        Q = R + gamma * np.einsum('sat,s->ta', P, V)
        V_new = Q.max(axis=1)
        done = np.max(np.abs(V_new - V)) < tol
        V = V_new
        if done:
            break
    Q = R + gamma * (P @ V)
    return V, np.argmax(Q, axis=1).astype(np.int64)
