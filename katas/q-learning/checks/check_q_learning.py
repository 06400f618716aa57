"""Hidden checks for Q-learning: hand updates, terminals, off-policy max, convergence, epsilon-greedy rules."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_equal, for_all


def _table(sub, args, context):
    return expect_array(sub(*args), np.zeros_like(args[0]), name="new Q", context=context, rtol=0, atol=1e300)


def check_hand_computed_update(sub):
    Q = np.zeros((3, 2))
    Q[2] = [2.0, 5.0]
    expected = Q.copy()
    expected[0, 1] = 2.75
    expect_array(sub(Q, 0, 1, 1.0, 2, False, 0.5, 0.9), expected, name="new Q",
                 context="Q[2] = [2, 5], update (s=0, a=1, r=1, s_next=2), alpha 0.5, gamma 0.9: target 5.5")


def check_terminal_does_not_bootstrap(sub, rng):
    Q = rng.standard_normal((4, 3)) * 10
    expected = Q.copy()
    expected[1, 2] = Q[1, 2] + 0.3 * (-2.0 - Q[1, 2])
    expect_array(sub(Q, 1, 2, -2.0, 3, True, 0.3, 0.99), expected, name="new Q",
                 context="done=True, r = -2, alpha 0.3: target is r alone, whatever Q[s_next] holds")


def check_off_policy_max_and_only_one_entry(sub, rng):
    Q = rng.standard_normal((5, 4))
    Q[3] = [0.5, -1.0, 4.0, 2.0]
    expected = Q.copy()
    expected[2, 0] = Q[2, 0] + 0.1 * (0.25 + 0.95 * 4.0 - Q[2, 0])
    ctx = "(s=2, a=0, r=0.25, s_next=3) with Q[3] = [0.5, -1, 4, 2], alpha 0.1, gamma 0.95"
    expect_array(sub(Q, 2, 0, 0.25, 3, False, 0.1, 0.95), expected, name="new Q",
                 context=ctx + ": the target uses max Q[3] = 4, and no other entry changes")


def check_alpha_one_and_self_loop(sub, rng):
    Q = rng.standard_normal((3, 3))
    expected = Q.copy()
    expected[1, 1] = 1.5 + 0.5 * np.max(Q[1])
    expect_array(sub(Q, 1, 1, 1.5, 1, False, 1.0, 0.5), expected, name="new Q",
                 context="alpha 1, s_next = s = 1: Q[1, 1] = r + gamma max Q[1] with the OLD row")


def check_converges_on_a_chain(sub):
    Q = np.zeros((3, 2))
    gamma = 0.9
    for step in range(120):
        Q = _table(sub, (Q, 0, 0, 0.0, 1, False, 0.5, gamma), f"chain, update {2 * step + 1}")
        Q = _table(sub, (Q, 1, 0, 1.0, 2, True, 0.5, gamma), f"chain, update {2 * step + 2}")
        Q = _table(sub, (Q, 1, 1, 0.0, 0, False, 0.5, gamma), f"chain, update {2 * step + 3}")
    expected = np.array([[gamma, 0.0], [1.0, gamma * gamma], [0.0, 0.0]])
    expect_array(Q, expected, name="Q after 360 updates", rtol=1e-6, atol=1e-6,
                 context="chain 0 -a0-> 1 -a0-> terminal (reward 1), 1 -a1-> 0, gamma 0.9: Q* = [[0.9, 0], [1, 0.81]]")


def check_epsilon_greedy_rules(sub):
    eg = sub.fn("epsilon_greedy")
    row = np.array([1.0, 3.0, 3.0, -2.0])
    cases = [
        ((row, 0.1, 0.05, 0.7), 2, "u 0.05 < epsilon 0.1: explore, floor(0.7 * 4) = 2"),
        ((row, 0.1, 0.5, 0.7), 1, "u 0.5 >= epsilon 0.1: greedy, the first of the tied maxima (index 1)"),
        ((row, 0.1, 0.1, 0.99), 1, "u == epsilon: not below it, so greedy"),
        ((row, 0.0, 0.0, 0.0), 1, "epsilon 0: always greedy"),
        ((row, 1.0, 0.999, 0.0), 0, "epsilon 1: always explore, floor(0 * 4) = 0"),
        ((row, 1.0, 0.3, 0.999), 3, "epsilon 1: explore, floor(0.999 * 4) = 3"),
        ((np.array([-5.0, -1.0, -1.0000001]), 0.2, 0.9, 0.1), 1, "all negative values: greedy picks -1 (index 1)"),
    ]
    for args, expected, ctx in cases:
        got = eg(*args)
        if isinstance(got, (np.integer,)):
            got = int(got)
        expect_equal(got, expected, name="action", context=f"epsilon_greedy({args[0].tolist()}, {args[1]}, "
                                                           f"{args[2]}, {args[3]}): {ctx}")


@st.composite
def _cases(draw):
    S, A = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    return (S, A, draw(st.integers(0, S - 1)), draw(st.integers(0, A - 1)), draw(st.integers(0, S - 1)),
            draw(st.booleans()), draw(st.sampled_from([0.01, 0.1, 0.5, 1.0])), draw(st.sampled_from([0.0, 0.9, 0.99])),
            draw(st.integers(0, 2**31)))


def check_random_transitions(sub, ref, rng):
    def case(c):
        S, A, s, a, s2, done, alpha, gamma, seed = c
        r = np.random.default_rng(seed)
        Q, reward = r.standard_normal((S, A)) * 3, float(r.standard_normal())
        args = (Q, s, a, reward, s2, done, alpha, gamma)
        expect_array(sub(*args), ref(*args), name="new Q",
                     context=f"Q ({S}, {A}), s={s}, a={a}, r={reward:.3f}, s_next={s2}, done={done}, "
                             f"alpha={alpha}, gamma={gamma}")

    for_all(rng, _cases(), case, examples=12)


def speed_case(rng):
    return (rng.standard_normal((500, 500)), 3, 4, 1.0, 7, False, 0.1, 0.99), {}
