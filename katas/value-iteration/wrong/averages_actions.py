"""Averages over actions (a uniform random policy) instead of taking the max.
对动作取平均（相当于均匀随机策略），而不是取最大值。
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
        V_new = Q.mean(axis=1)
        done = np.max(np.abs(V_new - V)) < tol
        V = V_new
        if done:
            break
    Q = R + gamma * (P @ V)
    return V, np.argmax(Q, axis=1).astype(np.int64)
