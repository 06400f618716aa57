"""Hidden checks for value iteration: a hand-solved MDP, a grid world, Bellman identities, policy evaluation,
exact ties, and a loose tol (which V is returned, the strict stopping rule, synchronous backups)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t


def _call(sub, P, R, gamma, context, **kwargs):
    V, policy = expect_tuple(sub(P, R, gamma, **kwargs), ("V", "policy"), context=context)
    V = expect_array(V, np.zeros(P.shape[0]), name="V", context=context, rtol=0, atol=1e300)
    if type(policy) is not np.ndarray or policy.shape != (P.shape[0],) or policy.dtype != np.int64:
        got = f"{policy.dtype} {policy.shape}" if type(policy) is np.ndarray else type(policy).__name__
        raise CheckFailed(f"{context}: " + t(f"policy should be an int64 array of shape ({P.shape[0]},), got {got}",
                                             f"policy 应是形状为 ({P.shape[0]},) 的 int64 数组，实际为 {got}"))
    return V, policy


def _random_mdp(rng, S, A):
    P = rng.random((S, A, S)) ** 3
    P /= P.sum(axis=2, keepdims=True)
    return P, rng.standard_normal((S, A))


def _two_state():
    P = np.zeros((2, 2, 2))
    P[0, 0, 0] = P[0, 1, 1] = P[1, 0, 1] = P[1, 1, 0] = 1.0
    return P, np.array([[1.0, 0.0], [2.0, 0.0]])


def _synchronous(P, R, gamma, tol):
    """The statement's loop, written independently: every backup reads only the previous sweep's V."""
    V = np.zeros(P.shape[0])
    while True:
        V_new = np.max(R + gamma * np.einsum("ijk,k->ij", P, V), axis=1)
        if np.max(np.abs(V_new - V)) < tol:
            return V_new, np.argmax(R + gamma * np.einsum("ijk,k->ij", P, V_new), axis=1)
        V = V_new


@pytest.mark.zh("题目中的两状态例子")
def test_two_state_example(sub):
    P, R = _two_state()
    ctx = t("the two-state example of the statement, gamma 0.9", "题目中的两状态例子，gamma 0.9")
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


@pytest.mark.zh("网格世界中的距离")
def test_grid_world_distances(sub):
    rows, cols, goal = 3, 5, (0, 4)
    P, R = _grid(rows, cols, goal)
    ctx = t("3 x 5 grid, goal at row 0 column 4 (absorbing), reward -1 per move, gamma 1",
            "3 x 5 网格，目标在第 0 行第 4 列（吸收状态），每步奖励 -1，gamma 1")
    V, policy = _call(sub, P, R, 1.0, ctx)
    dist = np.array([abs(r - goal[0]) + abs(c - goal[1]) for r in range(rows) for c in range(cols)], dtype=float)
    expect_array(V, -dist, name="V", context=ctx + t(": V = -(moves to the goal)", "：V = -(到目标的步数)"),
                 rtol=1e-9, atol=1e-9)
    expected = np.array([0 if r > 0 else 1 for r in range(rows) for c in range(cols)])
    expected[goal[0] * cols + goal[1]] = 0
    expect_array(policy, expected, name="policy", exact=True,
                 context=ctx + t(" (ties to the lowest action: up = 0 before right = 1; all actions tie at the goal)",
                                 "（并列时取最小的动作：上 = 0 先于右 = 1；目标处所有动作并列）"))


@pytest.mark.zh("贝尔曼最优方程与策略评估")
@pytest.mark.parametrize(("S", "A", "gamma"), [pytest.param(6, 3, 0.9, id="S=6-A=3-gamma=0.9"),
                                               pytest.param(4, 5, 0.5, id="S=4-A=5-gamma=0.5"),
                                               pytest.param(9, 2, 0.99, id="S=9-A=2-gamma=0.99"),
                                               pytest.param(7, 4, 0.0, id="S=7-A=4-gamma=0")])
def test_bellman_optimality_identity(sub, rng, S, A, gamma):
    P, R = _random_mdp(rng, S, A)
    ctx = t(f"random MDP, S = {S}, A = {A}, gamma = {gamma}", f"随机 MDP，S = {S}，A = {A}，gamma = {gamma}")
    V, policy = _call(sub, P, R, gamma, ctx)
    Q = R + gamma * (P @ V)
    expect_array(V, Q.max(axis=1), name="V", context=ctx + t(": V must equal max_a (R + gamma P V)",
                                                             "：V 必须等于 max_a (R + gamma P V)"),
                 rtol=1e-7, atol=1e-7)
    idx = np.arange(S)
    v_pi = np.linalg.solve(np.eye(S) - gamma * P[idx, policy], R[idx, policy])
    expect_array(v_pi, V, name=t("value of the returned policy (solved exactly)", "所返回策略的价值（精确求解）"),
                 rtol=1e-6, atol=1e-6,
                 context=ctx + t(": following the policy must earn V", "：按该策略行动必须得到 V"))


@pytest.mark.zh("完全相同的动作取最小编号")
def test_identical_actions_tie_low(sub, rng):
    P, R = _random_mdp(rng, 5, 2)
    P, R = np.repeat(P, 2, axis=1), np.repeat(R, 2, axis=1)  # actions 0, 0, 1, 1: exact ties
    ctx = t("S = 5, A = 4 where action 1 duplicates action 0 and action 3 duplicates action 2",
            "S = 5，A = 4，其中动作 1 与动作 0 相同，动作 3 与动作 2 相同")
    _, policy = _call(sub, P, R, 0.8, ctx)
    if np.any(policy % 2 == 1):
        s = int(np.argmax(policy % 2 == 1))
        raise CheckFailed(f"{ctx}: " + t(
            f"state {s} chose action {policy[s]}; exact ties go to the lowest action index",
            f"状态 {s} 选了动作 {policy[s]}；完全并列时应取最小的动作编号"))


@pytest.mark.zh("宽松的 tol：返回哪个 V、严格小于、同步备份")
@pytest.mark.parametrize(("case", "tol"), [
    # backup 1 changes V by exactly 2.0 (not < 2.0: go on), backup 2 by 1.8: return V_2 = [1.9, 3.8], whose
    # greedy policy [1, 0] differs from the policy of the Q that produced it ([0, 0]); V_1 = [1, 2]
    pytest.param("two-state", 2.0, id="two-state-tol=2"),
    # random 5-state MDP: stops at backup 29 with a 5% margin on both sides of tol; in-place (Gauss-Seidel)
    # sweeps, returning the previous V, or a sum-of-changes stopping rule all return a V at least 0.04 away
    pytest.param("random-mdp", 0.05, id="random-mdp-tol=0.05"),
])
def test_loose_tolerance(sub, case, tol):
    if case == "two-state":
        P, R, gamma = (*_two_state(), 0.9)
        ctx = t(f"the two-state example, gamma 0.9, tol={tol}", f"两状态例子，gamma 0.9，tol={tol}")
    else:
        P, R, gamma = (*_random_mdp(np.random.default_rng(4), 5, 3), 0.9)
        ctx = t(f"a random MDP with S = 5, A = 3, gamma 0.9, tol={tol}",
                f"随机 MDP，S = 5，A = 3，gamma 0.9，tol={tol}")
    V_want, policy_want = _synchronous(P, R, gamma, tol)
    V, policy = _call(sub, P, R, gamma, ctx, tol=tol)
    expect_array(V, V_want, name="V", rtol=1e-9, atol=1e-9, context=ctx + t(
        ": V_new of the first synchronous backup that changes V by less than tol",
        "：第一次变化量小于 tol 的同步备份所得的 V_new"))
    expect_array(policy, policy_want, name="policy", exact=True,
                 context=ctx + t(": greedy with respect to the returned V", "：相对返回的 V 的贪心策略"))


@st.composite
def _cases(draw):
    return draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])), draw(
        st.integers(0, 2**31))


@pytest.mark.zh("随机 MDP")
@settings(max_examples=10)
@given(case=_cases())
def test_random_mdps(sub, ref, case):
    S, A, gamma, seed = case
    P, R = _random_mdp(np.random.default_rng(seed), S, A)
    ctx = t(f"random MDP, S = {S}, A = {A}, gamma = {gamma}", f"随机 MDP，S = {S}，A = {A}，gamma = {gamma}")
    V, policy = _call(sub, P, R, gamma, ctx)
    V_ref, policy_ref = ref(P, R, gamma)
    expect_array(V, V_ref, name="V", context=ctx, rtol=1e-7, atol=1e-7)
    expect_array(policy, policy_ref, name="policy", context=ctx, exact=True)


def speed_case(rng):
    return (*_random_mdp(rng, 200, 8), 0.95), {}
