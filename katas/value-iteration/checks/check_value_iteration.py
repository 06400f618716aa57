"""Hidden checks for value iteration: a hand-solved MDP, a grid world, Bellman identities, policy evaluation."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, for_all


def _call(sub, P, R, gamma, context):
    V, policy = expect_tuple(sub(P, R, gamma), ("V", "policy"), context=context)
    V = expect_array(V, np.zeros(P.shape[0]), name="V", context=context, rtol=0, atol=1e300)
    policy = np.asarray(policy)
    if policy.shape != (P.shape[0],) or not np.issubdtype(policy.dtype, np.integer):
        raise CheckFailed(f"{context}: policy should be an integer array of shape ({P.shape[0]},), "
                          f"got {policy.dtype} {policy.shape}")
    return V, policy.astype(np.int64)


def _random_mdp(rng, S, A):
    P = rng.random((S, A, S)) ** 3
    P /= P.sum(axis=2, keepdims=True)
    return P, rng.standard_normal((S, A))


def check_two_state_example(sub):
    P = np.zeros((2, 2, 2))
    P[0, 0, 0] = P[0, 1, 1] = P[1, 0, 1] = P[1, 1, 0] = 1.0
    R = np.array([[1.0, 0.0], [2.0, 0.0]])
    ctx = "the two-state example of the statement, gamma 0.9"
    V, policy = _call(sub, P, R, 0.9, ctx)
    expect_array(V, np.array([18.0, 20.0]), name="V", context=ctx, rtol=1e-8, atol=1e-8)
    expect_array(policy, np.array([1, 0]), name="policy", context=ctx, exact=True)


def _grid(rows, cols, goal):
    S = rows * cols
    P = np.zeros((S, 4, S))
    R = np.full((S, 4), -1.0)
    moves = [(-1, 0), (0, 1), (1, 0), (0, -1)]  # up, right, down, left
    for r in range(rows):
        for c in range(cols):
            s = r * cols + c
            for a, (dr, dc) in enumerate(moves):
                if (r, c) == goal:
                    P[s, a, s], R[s, a] = 1.0, 0.0
                    continue
                nr, nc = min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1)
                P[s, a, nr * cols + nc] = 1.0
    return P, R


def check_grid_world_distances(sub):
    rows, cols, goal = 3, 5, (0, 4)
    P, R = _grid(rows, cols, goal)
    ctx = "3 x 5 grid, goal at row 0 column 4 (absorbing), reward -1 per move, gamma 1"
    V, policy = _call(sub, P, R, 1.0, ctx)
    dist = np.array([abs(r - goal[0]) + abs(c - goal[1]) for r in range(rows) for c in range(cols)], dtype=float)
    expect_array(V, -dist, name="V", context=ctx + ": V = -(moves to the goal)", rtol=1e-9, atol=1e-9)
    expected = np.array([0 if r > 0 else 1 for r in range(rows) for c in range(cols)])
    expected[goal[0] * cols + goal[1]] = 0
    expect_array(policy, expected, name="policy", exact=True,
                 context=ctx + " (ties to the lowest action: up = 0 before right = 1; all actions tie at the goal)")


def check_bellman_optimality_identity(sub, rng):
    for S, A, gamma in ((6, 3, 0.9), (4, 5, 0.5), (9, 2, 0.99)):
        P, R = _random_mdp(rng, S, A)
        ctx = f"random MDP, S = {S}, A = {A}, gamma = {gamma}"
        V, policy = _call(sub, P, R, gamma, ctx)
        Q = R + gamma * (P @ V)
        expect_array(V, Q.max(axis=1), name="V", context=ctx + ": V must equal max_a (R + gamma P V)",
                     rtol=1e-7, atol=1e-7)
        idx = np.arange(S)
        Pp, Rp = P[idx, policy], R[idx, policy]
        v_pi = np.linalg.solve(np.eye(S) - gamma * Pp, Rp)
        expect_array(v_pi, V, name="value of the returned policy (solved exactly)", rtol=1e-6, atol=1e-6,
                     context=ctx + ": following the policy must earn V")


def check_identical_actions_tie_low(sub, rng):
    P, R = _random_mdp(rng, 5, 2)
    P, R = np.repeat(P, 2, axis=1), np.repeat(R, 2, axis=1)  # actions 0, 0, 1, 1: exact ties
    ctx = "S = 5, A = 4 where action 1 duplicates action 0 and action 3 duplicates action 2"
    _, policy = _call(sub, P, R, 0.8, ctx)
    if np.any(policy % 2 == 1):
        s = int(np.argmax(policy % 2 == 1))
        raise CheckFailed(f"{ctx}: state {s} chose action {policy[s]}; exact ties go to the lowest action index")


@st.composite
def _cases(draw):
    return draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])), draw(
        st.integers(0, 2**31))


def check_random_mdps(sub, ref, rng):
    def case(c):
        S, A, gamma, seed = c
        P, R = _random_mdp(np.random.default_rng(seed), S, A)
        ctx = f"random MDP, S = {S}, A = {A}, gamma = {gamma}"
        V, policy = _call(sub, P, R, gamma, ctx)
        V_ref, policy_ref = ref(P, R, gamma)
        expect_array(V, V_ref, name="V", context=ctx, rtol=1e-7, atol=1e-7)
        expect_array(policy, policy_ref, name="policy", context=ctx, exact=True)

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (*_random_mdp(rng, 200, 8), 0.95), {}
