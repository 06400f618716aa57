"""Hidden checks for dqn-targets-huber: the worked example, terminal masking, the max over next actions,
both Huber regions at several deltas (and the default), the exact kink, finite differences, float32,
random minibatches against a loop definition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

NAMES = ("targets", "loss", "dq")


def _loops(q, actions, rewards, q_next_target, dones, gamma, delta):
    """The definition transition by transition, in Python floats."""
    b = q.shape[0]
    targets, losses = [], []
    dq = np.zeros(q.shape)
    for i in range(b):
        target = float(rewards[i]) + (0.0 if dones[i] else gamma * max(float(v) for v in q_next_target[i]))
        d = float(q[i, actions[i]]) - target
        losses.append(0.5 * d * d if abs(d) <= delta else delta * (abs(d) - 0.5 * delta))
        dq[i, actions[i]] = max(-delta, min(delta, d)) / b
        targets.append(target)
    return np.array(targets), sum(losses) / b, dq


def _call(impl, args, ctx, delta=None, dtype=np.float64):
    kwargs = {} if delta is None else {"delta": delta}
    got = expect_tuple(impl(*args, **kwargs), NAMES, context=ctx)
    expect_array(got[0], np.zeros(args[0].shape[0]), name="targets", context=ctx, dtype=dtype, rtol=0, atol=1e300)
    expect_array(got[2], np.zeros(args[0].shape), name="dq", context=ctx, dtype=dtype, rtol=0, atol=1e300)
    return got


def _check(sub, args, ctx, delta=None, dtype=np.float64, rtol=1e-9):
    """Compare with the loop definition; atol scaled to the magnitudes involved and to the dtype's rounding
    (in float32 a target or residual that nearly cancels, e.g. r = -0.999 and gamma * max = 1.0, keeps an
    absolute error of ~1e-7, so a relative tolerance alone would reject correct code)."""
    got = _call(sub, args, ctx, delta, dtype)
    targets, loss, dq = _loops(*args, 1.0 if delta is None else delta)
    scale = max(1.0, float(np.max(np.abs(targets))), float(np.max(np.abs(args[0]))))
    eps = 1e-12 if dtype == np.float64 else 1e-6
    expect_array(got[0], targets, name="targets", context=ctx, dtype=dtype, rtol=rtol, atol=eps * scale)
    expect_number(got[1], loss, name="loss", context=ctx, rtol=rtol, atol=eps * scale * scale)
    expect_array(got[2], dq, name="dq", context=ctx, dtype=dtype, rtol=rtol, atol=eps * scale)
    return got


def _batch(rng, b, a, terminal=0.3, scale=2.0):
    q = rng.standard_normal((b, a)) * scale
    actions = rng.integers(0, a, b)
    rewards = rng.standard_normal(b)
    q_next_target = rng.standard_normal((b, a)) * scale
    dones = rng.random(b) < terminal
    q_next_target[dones] = rng.choice([-1e3, 1e3], (int(dones.sum()), a))  # garbage that must not be used
    return q, actions, rewards, q_next_target, dones


def _example():
    return (np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]]), np.array([1, 0, 0]), np.array([1.0, 0.0, -1.0]),
            np.array([[2.0, 4.0], [10.0, 10.0], [0.5, 1.5]]), np.array([False, True, False]), 0.5)


@pytest.mark.zh("题目中的手算例子")
@pytest.mark.parametrize("delta", [pytest.param(1.0, id="delta=1"), pytest.param(2.0, id="delta=2")])
def test_hand_worked_example(sub, delta):
    ctx = t("the statement's example", "题目中的例子") + f", gamma=0.5, delta={delta:g}"
    targets, loss, dq = _call(sub, _example(), ctx, delta)
    expect_array(targets, np.array([3.0, 0.0, -0.25]), name="targets", context=ctx)
    expect_number(loss, 1.125 if delta == 1.0 else 5.125 / 3, name="loss", context=ctx)
    expect_array(dq, np.array([[0.0, -1 / 3], [0.5 / 3, 0.0], [delta / 3, 0.0]]), name="dq", context=ctx)


@pytest.mark.zh("终止转移不自举")
def test_terminal_transitions_do_not_bootstrap(sub, rng):
    q, actions, rewards, q_next_target, _ = _batch(rng, 6, 4)
    dones = np.array([True, False, True, True, False, True])
    q_next_target[dones] = 1e6
    ctx = t("dones [T, F, T, T, F, T] with q_next_target = 1e6 on terminal rows, gamma=0.99: their targets are "
            "the rewards alone", "dones [T, F, T, T, F, T]，终止行的 q_next_target = 1e6，gamma=0.99："
            "这些行的目标值就是奖励本身") + ", delta=1.0"
    got = _check(sub, (q, actions, rewards, q_next_target, dones, 0.99), ctx, delta=1.0)
    expect_array(got[0][dones], rewards[dones], name="targets[dones]", context=ctx)


@pytest.mark.zh("目标值对下一状态取最大值")
def test_target_takes_the_max_over_next_actions(sub):
    q = np.zeros((3, 4))
    actions = np.array([0, 1, 2])
    q_next_target = np.array([[1.0, 5.0, -2.0, 0.0], [-3.0, -1.0, -4.0, -2.0], [0.5, 0.25, 0.0, 2.0]])
    args = (q, actions, np.zeros(3), q_next_target, np.zeros(3, dtype=bool), 0.5)
    ctx = t("rewards 0, no terminals, gamma=0.5: targets = 0.5 * row maxima [5, -1, 2] of q_next_target, "
            "not the taken actions' entries", "奖励为 0，没有终止，gamma=0.5：目标值 = 0.5 * q_next_target 的行最大值 "
            "[5, -1, 2]，而不是所采取动作对应的值") + ", delta=1.0"
    got = _check(sub, args, ctx, delta=1.0)
    expect_array(got[0], np.array([2.5, -0.5, 1.0]), name="targets", context=ctx)


@pytest.mark.zh("Huber 的两段与 delta")
@pytest.mark.parametrize("delta", [pytest.param(0.5, id="delta=0.5"), pytest.param(None, id="delta=default"),
                                   pytest.param(2.0, id="delta=2.0"), pytest.param(10.0, id="delta=10.0")])
def test_huber_regions_and_delta(sub, delta):
    """Residuals from -12 to 12 straddling every threshold tried (none within 0.05 of it)."""
    d = np.array([-12.0, -3.0, -1.7, -0.8, -0.3, 0.0, 0.2, 0.7, 1.3, 2.6, 6.0, 12.0])
    b = d.size
    q = np.linspace(-1.0, 1.0, 3 * b).reshape(b, 3)
    actions = np.arange(b) % 3
    q_next_target = np.zeros((b, 3))
    rewards = q[np.arange(b), actions] - d
    args = (q, actions, rewards, q_next_target, np.zeros(b, dtype=bool), 0.9)
    shown = "default (1.0)" if delta is None else f"{delta}"
    _check(sub, args, t(f"residuals d from -12 to 12, delta={shown}", f"残差 d 从 -12 到 12，delta={shown}"), delta)


@pytest.mark.zh("恰好在拐点 |d| = delta 与 d = 0")
def test_exact_kink_and_zero_residual(sub):
    q = np.array([[1.5, 0.0], [0.0, 0.5], [2.0, 2.0], [0.0, -0.25]])
    actions = np.array([0, 1, 0, 1])
    rewards = np.array([1.0, 1.0, 2.0, -0.25])
    args = (q, actions, rewards, np.zeros((4, 2)), np.ones(4, dtype=bool), 0.9)
    ctx = t("d = [0.5, -0.5, 0, 0] exactly with delta=0.5: huber [0.125, 0.125, 0, 0], "
            "dq entries [0.5, -0.5, 0, 0] / 4",
            "d 恰好为 [0.5, -0.5, 0, 0]，delta=0.5：huber 为 [0.125, 0.125, 0, 0]，"
            "dq 的对应元素为 [0.5, -0.5, 0, 0] / 4")
    _, loss, dq = _call(sub, args, ctx, 0.5)
    expect_number(loss, 0.0625, name="loss", context=ctx)
    expect_array(dq, np.array([[0.125, 0.0], [0.0, -0.125], [0.0, 0.0], [0.0, 0.0]]), name="dq", context=ctx)


@pytest.mark.zh("与逐条转移的定义一致")
@pytest.mark.parametrize(("b", "a", "gamma", "delta"), [
    pytest.param(8, 4, 0.99, 1.0, id="B=8-A=4-gamma=0.99-delta=1.0"),
    pytest.param(5, 7, 0.9, 0.5, id="B=5-A=7-gamma=0.9-delta=0.5"),
    pytest.param(12, 3, 0.0, 2.0, id="B=12-A=3-gamma=0-delta=2.0"),
    pytest.param(1, 2, 0.5, 3.0, id="B=1-A=2-gamma=0.5-delta=3.0"),
])
def test_matches_the_definition(sub, rng, b, a, gamma, delta):
    args = (*_batch(rng, b, a), gamma)
    _check(sub, args, f"q ({b}, {a}), gamma={gamma}, delta={delta}, " + t("some terminals", "部分为终止"), delta)


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize("delta", [pytest.param(0.7, id="delta=0.7"), pytest.param(1.5, id="delta=1.5")])
def test_gradient_finite_differences(sub, rng, delta):
    q, actions, rewards, q_next_target, dones = _batch(rng, 9, 5)
    rows = np.arange(9)
    # keep every residual at least 1e-3 away from the kinks at +-delta
    targets = _loops(q, actions, rewards, q_next_target, dones, 0.9, delta)[0]
    for _ in range(20):
        near = np.abs(np.abs(q[rows, actions] - targets) - delta) < 1e-2
        if not near.any():
            break
        q[rows[near], actions[near]] += 0.05
    ctx = f"q (9, 5), gamma=0.9, delta={delta}"
    dq = _call(sub, (q, actions, rewards, q_next_target, dones, 0.9), ctx, delta)[2]
    expect_grad(dq, lambda v: np.array(_loops(v, actions, rewards, q_next_target, dones, 0.9, delta)[1]), q, 1.0,
                name="dq", rng=rng, context=ctx, tol=1e-5, samples=20)
    _check(sub, (q, actions, rewards, q_next_target, dones, 0.9), ctx, delta)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    q, actions, rewards, q_next_target, dones = _batch(rng, 7, 3)
    args = (q.astype(np.float32), actions, rewards.astype(np.float32), q_next_target.astype(np.float32), dones, 0.95)
    ctx = t("float32 q, rewards and q_next_target", "float32 的 q、rewards 和 q_next_target") + \
        ", B=7, A=3, gamma=0.95, delta=1.0"
    _check(sub, args, ctx, 1.0, dtype=np.float32, rtol=1e-5)


@st.composite
def minibatches(draw):
    return (draw(st.integers(1, 16)), draw(st.integers(2, 6)), draw(st.sampled_from([0.0, 0.5, 0.9, 0.99, 1.0])),
            draw(st.sampled_from([None, 0.25, 1.0, 3.0])), draw(st.sampled_from([0.5, 2.0, 20.0])),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机小批量")
@settings(max_examples=10)
@given(c=minibatches())
def test_random_minibatches(sub, c):
    b, a, gamma, delta, scale, seed = c
    args = (*_batch(np.random.default_rng(seed), b, a, scale=scale), gamma)
    _check(sub, args, f"q ({b}, {a}), gamma={gamma}, delta={'default' if delta is None else delta}, scale={scale}",
           delta)


def speed_case(rng):
    return (*_batch(rng, 4096, 18), 0.99), {"delta": 1.0}
