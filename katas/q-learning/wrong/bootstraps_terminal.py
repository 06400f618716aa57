"""Bootstraps from the next state even when the transition is terminal.
即使是终止转移，也从下一状态自举。
"""
import numpy as np


def q_update(Q, s, a, r, s_next, done, alpha, gamma):
    """One tabular Q-learning update; returns a new (S, A) table (Q itself is left unchanged)."""
    target = r + gamma * np.max(Q[s_next])
    new = Q.copy()
    new[s, a] += alpha * (target - Q[s, a])
    return new


def epsilon_greedy(q_row, epsilon, u, u_action):
    """Explore with probability epsilon using the given uniform draws; otherwise the greedy action.

    u, u_action: floats in [0, 1). Explore when u < epsilon, choosing action floor(u_action * A).
    Greedy ties go to the lowest action index. Returns an int.
    """
    if u < epsilon:
        return int(u_action * len(q_row))
    return int(np.argmax(q_row))
