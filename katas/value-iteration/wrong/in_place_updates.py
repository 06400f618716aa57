"""Updates V in place state by state (Gauss-Seidel sweeps) instead of synchronous backups from the previous V.
逐个状态原地更新 V（Gauss-Seidel 式扫描），而不是都用上一轮的 V 做同步备份。
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
        change = 0.0
        for s in range(P.shape[0]):
            v = np.max(R[s] + gamma * (P[s] @ V))
            change = max(change, abs(v - V[s]))
            V[s] = v
        if change < tol:
            break
    Q = R + gamma * (P @ V)
    return V, np.argmax(Q, axis=1).astype(np.int64)
