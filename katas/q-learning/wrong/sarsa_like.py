"""Bootstraps from the value of the same action in the next state (SARSA-style) instead of the max.
用下一状态中同一个动作的值自举（类似 SARSA），而不是取最大值。
"""
import numpy as np


def q_update(Q, s, a, r, s_next, done, alpha, gamma):
    """One tabular Q-learning update; returns a new (S, A) table (Q itself is left unchanged)."""
    target = r if done else r + gamma * Q[s_next, a]
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
