import numpy as np


def q_update(Q, s, a, r, s_next, done, alpha, gamma):
    """One tabular Q-learning update of Q (S, A) for the transition (s, a, r, s_next, done); returns a new table."""
    raise NotImplementedError("write q_update")


def epsilon_greedy(q_row, epsilon, u, u_action):
    """Explore (floor(u_action * A)) when u < epsilon, else the greedy action (ties: lowest index)."""
    raise NotImplementedError("write epsilon_greedy")
