"""Hidden checks for Q-learning: hand updates, terminals, off-policy max, convergence, epsilon-greedy rules."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_equal, t


def _table(sub, args, context):
    return expect_array(sub(*args), np.zeros_like(args[0]), name="new Q", context=context, rtol=0, atol=1e300)


@pytest.mark.zh("手算的更新")
@pytest.mark.parametrize("done", [False, True], ids=["done=False", "done=True"])
def test_hand_computed_update(sub, done):
    Q = np.zeros((3, 2))
    Q[2] = [2.0, 5.0]
    expected = Q.copy()
    expected[0, 1] = 0.5 if done else 2.75
    target = "1" if done else "5.5"
    expect_array(sub(Q, 0, 1, 1.0, 2, done, 0.5, 0.9), expected, name="new Q",
                 context=f"Q[2] = [2, 5], (s=0, a=1, r=1, s_next=2, done={done}), alpha 0.5, gamma 0.9: "
                         f"target {target}")


@pytest.mark.zh("终止转移不自举")
def test_terminal_does_not_bootstrap(sub, rng):
    Q = rng.standard_normal((4, 3)) * 10
    expected = Q.copy()
    expected[1, 2] = Q[1, 2] + 0.3 * (-2.0 - Q[1, 2])
    expect_array(sub(Q, 1, 2, -2.0, 3, True, 0.3, 0.99), expected, name="new Q",
                 context=t("done=True, r = -2, alpha 0.3: target is r alone, whatever Q[s_next] holds",
                           "done=True，r = -2，alpha 0.3：目标值就是 r，不管 Q[s_next] 存的是什么"))


@pytest.mark.zh("离策略取最大值且只改一个元素")
def test_off_policy_max_and_only_one_entry(sub, rng):
    Q = rng.standard_normal((5, 4))
    Q[3] = [0.5, -1.0, 4.0, 2.0]
    expected = Q.copy()
    expected[2, 0] = Q[2, 0] + 0.1 * (0.25 + 0.95 * 4.0 - Q[2, 0])
    ctx = "(s=2, a=0, r=0.25, s_next=3), Q[3] = [0.5, -1, 4, 2], alpha 0.1, gamma 0.95: "
    expect_array(sub(Q, 2, 0, 0.25, 3, False, 0.1, 0.95), expected, name="new Q",
                 context=ctx + t("the target uses max Q[3] = 4, and no other entry changes",
                                 "目标值用 max Q[3] = 4，其他元素都不变"))


@pytest.mark.zh("alpha 为 1 且自环")
def test_alpha_one_and_self_loop(sub, rng):
    Q = rng.standard_normal((3, 3))
    expected = Q.copy()
    expected[1, 1] = 1.5 + 0.5 * np.max(Q[1])
    expect_array(sub(Q, 1, 1, 1.5, 1, False, 1.0, 0.5), expected, name="new Q",
                 context=t("alpha 1, s_next = s = 1: Q[1, 1] = r + gamma max Q[1] with the OLD row",
                           "alpha 1，s_next = s = 1：Q[1, 1] = r + gamma max Q[1]，用的是更新前的行"))


@pytest.mark.zh("在链上收敛")
def test_converges_on_a_chain(sub):
    Q = np.zeros((3, 2))
    gamma = 0.9
    transitions = [(0, 0, 0.0, 1, False), (1, 0, 1.0, 2, True), (1, 1, 0.0, 0, False)]
    for step in range(120):
        for k, (s, a, r, s_next, done) in enumerate(transitions):
            i = 3 * step + k + 1
            Q = _table(sub, (Q, s, a, r, s_next, done, 0.5, gamma), t(f"chain, update {i}", f"链，第 {i} 次更新"))
    expected = np.array([[gamma, 0.0], [1.0, gamma * gamma], [0.0, 0.0]])
    expect_array(Q, expected, name="Q", rtol=1e-6, atol=1e-6,
                 context=t("after 360 updates on the chain 0 -a0-> 1 -a0-> terminal (reward 1), 1 -a1-> 0, gamma 0.9: "
                           "Q* = [[0.9, 0], [1, 0.81]]",
                           "在链 0 -a0-> 1 -a0-> 终止（奖励 1）、1 -a1-> 0 上更新 360 次后，gamma 0.9："
                           "Q* = [[0.9, 0], [1, 0.81]]"))


ROW = [1.0, 3.0, 3.0, -2.0]
# (q_row, epsilon, u, u_action), the action, what the case pins down
EPSILON_GREEDY = [
    pytest.param(ROW, 0.1, 0.05, 0.7, 2, ("u 0.05 < epsilon 0.1: explore, floor(0.7 * 4) = 2",
                                          "u 0.05 < epsilon 0.1：探索，floor(0.7 * 4) = 2"), id="explore"),
    pytest.param(ROW, 0.1, 0.5, 0.7, 1, ("u 0.5 >= epsilon 0.1: greedy, the first of the tied maxima (index 1)",
                                         "u 0.5 >= epsilon 0.1：利用，取并列最大值中的第一个（下标 1）"),
                 id="greedy-tie-lowest-index"),
    pytest.param(ROW, 0.1, 0.1, 0.99, 1, ("u == epsilon: not below it, so greedy", "u == epsilon：不小于它，所以利用"),
                 id="u-equals-epsilon"),
    pytest.param(ROW, 0.0, 0.0, 0.0, 1, ("epsilon 0: always greedy", "epsilon 0：总是利用"), id="epsilon=0"),
    pytest.param(ROW, 1.0, 0.999, 0.0, 0, ("epsilon 1: always explore, floor(0 * 4) = 0",
                                           "epsilon 1：总是探索，floor(0 * 4) = 0"), id="epsilon=1-first"),
    pytest.param(ROW, 1.0, 0.3, 0.999, 3, ("epsilon 1: explore, floor(0.999 * 4) = 3",
                                           "epsilon 1：探索，floor(0.999 * 4) = 3"), id="epsilon=1-last"),
    pytest.param([5.0, 1.0, 2.0], 0.5, 0.2, 0.1, 0, ("exploring may pick the greedy action: floor(0.1 * 3) = 0",
                                                     "探索也可能选中贪心动作：floor(0.1 * 3) = 0"),
                 id="explore-may-pick-greedy"),
    pytest.param([-5.0, -1.0, -1.0000001], 0.2, 0.9, 0.1, 1, ("all negative values: greedy picks -1 (index 1)",
                                                              "全为负值：利用时选 -1（下标 1）"), id="all-negative"),
]


@pytest.mark.zh("epsilon-greedy 的规则")
@pytest.mark.parametrize(("row", "epsilon", "u", "u_action", "expected", "context"), EPSILON_GREEDY)
def test_epsilon_greedy_rules(sub, row, epsilon, u, u_action, expected, context):
    got = sub.fn("epsilon_greedy")(np.array(row), epsilon, u, u_action)
    if isinstance(got, np.integer):
        got = int(got)
    expect_equal(got, expected, name=t("action", "动作"),
                 context=f"epsilon_greedy({row}, {epsilon}, {u}, {u_action}): {t(*context)}")


@st.composite
def _cases(draw):
    S, A = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    return (S, A, draw(st.integers(0, S - 1)), draw(st.integers(0, A - 1)), draw(st.integers(0, S - 1)),
            draw(st.booleans()), draw(st.sampled_from([0.01, 0.1, 0.5, 1.0])), draw(st.sampled_from([0.0, 0.9, 0.99])),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机转移")
@settings(max_examples=12)
@given(case=_cases())
def test_random_transitions(sub, ref, case):
    S, A, s, a, s2, done, alpha, gamma, seed = case
    r = np.random.default_rng(seed)
    Q, reward = r.standard_normal((S, A)) * 3, float(r.standard_normal())
    args = (Q, s, a, reward, s2, done, alpha, gamma)
    expect_array(sub(*args), ref(*args), name="new Q",
                 context=f"Q ({S}, {A}), s={s}, a={a}, r={reward:.3f}, s_next={s2}, done={done}, "
                         f"alpha={alpha}, gamma={gamma}")


def speed_case(rng):
    return (rng.standard_normal((500, 500)), 3, 4, 1.0, 7, False, 0.1, 0.99), {}
