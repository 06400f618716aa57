"""Explores only among the non-greedy actions (floor(u_action * (A - 1)) over the others), not over all A.
探索时只在非贪心动作中选（对其余动作取 floor(u_action * (A - 1))），而不是在全部 A 个动作中选。
"""
import numpy as np


def q_update(Q, s, a, r, s_next, done, alpha, gamma):
    """One tabular Q-learning update; returns a new (S, A) table (Q itself is left unchanged)."""
    target = r if done else r + gamma * np.max(Q[s_next])
    new = Q.copy()
    new[s, a] += alpha * (target - Q[s, a])
    return new


def epsilon_greedy(q_row, epsilon, u, u_action):
    """Explore with probability epsilon using the given uniform draws; otherwise the greedy action.

    u, u_action: floats in [0, 1). Explore when u < epsilon, choosing action floor(u_action * A).
    Greedy ties go to the lowest action index. Returns an int.
    """
    greedy = int(np.argmax(q_row))
    if u < epsilon:
        others = [i for i in range(len(q_row)) if i != greedy]
        return others[int(u_action * len(others))] if others else greedy
    return greedy
