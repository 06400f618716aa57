"""Hidden checks for AdamW: decoupled weight decay (scaled by lr, applied to the old weights, never through m or v),
bias correction from t = 1, eps outside the square root, every hyper-parameter at a non-default value, chained steps,
defaults, float32."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t

NAMES = ("w_new", "m_new", "v_new")


def _scalar_adamw(w, g, m, v, step, lr, b1, b2, eps, wd):
    """One coordinate, written the way torch.optim.AdamW orders it: decay, moments, step_size / denom."""
    w = w * (1 - lr * wd)
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    step_size = lr / (1 - b1**step)
    denom = math.sqrt(v) / math.sqrt(1 - b2**step) + eps
    return w - step_size * m / denom, m, v


def _expected(w, g, m, v, step, lr, b1, b2, eps, wd):
    out = [np.empty_like(w, dtype=np.float64) for _ in range(3)]
    for i in np.ndindex(w.shape):
        for k, val in enumerate(_scalar_adamw(float(w[i]), float(g[i]), float(m[i]), float(v[i]), step, lr, b1, b2,
                                              eps, wd)):
            out[k][i] = val
    return out


def _check(sub, args, kwargs, ctx, **tol):
    got = expect_tuple(sub(*args, **kwargs), NAMES, context=ctx)
    hp = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2, **kwargs}
    expected = _expected(*args, hp["lr"], hp["beta1"], hp["beta2"], hp["eps"], hp["weight_decay"])
    for name, a, b in zip(NAMES, got, expected):
        expect_array(a, b, name=name, context=ctx, **tol)
    return got


def _state(rng, shape, scale=1.0):
    g = rng.standard_normal(shape) * scale
    return (rng.standard_normal(shape), g, rng.standard_normal(shape) * 0.5 * scale,
            rng.uniform(0.1, 2.0, shape) * scale**2)


@pytest.mark.zh("题目中的手算例子（两步）")
def test_hand_worked_example(sub):
    w, z = np.array([1.0, -2.0]), np.zeros(2)
    kw = {"lr": 0.1, "weight_decay": 0.1}
    ctx = "w = [1, -2], g = [0.5, -0.1], m = v = 0, t = 1, lr = 0.1, weight_decay = 0.1"
    w1, m1, v1 = _check(sub, (w, np.array([0.5, -0.1]), z, z, 1), kw, ctx)
    expect_array(w1, np.array([0.99 - 0.1 * 0.5 / (0.5 + 1e-8), -1.98 + 0.1 * 0.1 / (0.1 + 1e-8)]), name="w_new",
                 context=ctx)
    ctx2 = t("then g = [0.5, 0.3], t = 2 from that state", "接着以该状态、g = [0.5, 0.3]、t = 2 再走一步")
    w1, m1, v1 = (np.array(a, dtype=np.float64) for a in (w1, m1, v1))
    w2, _, _ = _check(sub, (w1, np.array([0.5, 0.3]), m1, v1, 2), kw, ctx2)
    expect_array(w2, np.array([0.781100004, -1.910618991]), name="w_new", context=ctx2, rtol=0, atol=1e-9)


@pytest.mark.zh("权重衰减与梯度解耦")
def test_decay_is_decoupled(sub, rng):
    """A zero gradient from zero moments leaves only the decay: w_new = w * (1 - lr * weight_decay) exactly,
    and m, v stay 0 (an L2 term added to g would move both)."""
    w = rng.standard_normal(9) * 5
    z = np.zeros(9)
    for lr, wd in ((0.1, 0.3), (0.02, 0.5)):
        ctx = t("g = 0, m = v = 0", "g = 0，m = v = 0") + f", t = 1, lr = {lr}, weight_decay = {wd}"
        got = expect_tuple(sub(w, z, z, z, 1, lr=lr, weight_decay=wd), NAMES, context=ctx)
        expect_array(got[0], w * (1 - lr * wd), name="w_new", context=ctx, rtol=1e-12, atol=1e-15)
        expect_array(got[1], z, name="m_new", context=ctx)
        expect_array(got[2], z, name="v_new", context=ctx)


@pytest.mark.zh("第一步：衰减后再移动约 lr")
def test_first_step(sub, rng):
    g = rng.choice([-1.0, 1.0], size=40) * 10.0 ** rng.uniform(-3, 3, size=40)
    w, z = rng.standard_normal(40), np.zeros(40)
    lr, wd = 0.01, 0.2
    ctx = t("t = 1 from m = v = 0, |gradients| from 1e-3 to 1e3", "从 m = v = 0 出发，t = 1，|梯度| 从 1e-3 到 1e3") + \
        f", lr = {lr}, weight_decay = {wd}"
    got = _check(sub, (w, g, z, z, 1), {"lr": lr, "weight_decay": wd}, ctx)
    moved = np.abs(w * (1 - lr * wd) - got[0])
    if np.any(np.abs(moved - lr) > 1e-4 * lr + 1e-12):
        i = int(np.argmax(np.abs(moved - lr)))
        raise CheckFailed(ctx + ": " + t(
            f"after the decay, coordinate {i} (g = {g[i]:.3g}) moved {moved[i]:.6g}; with bias correction every "
            f"coordinate moves almost exactly lr = {lr} on the first step",
            f"衰减之后，第 {i} 个坐标（g = {g[i]:.3g}）移动了 {moved[i]:.6g}；有偏差修正时，第一步每个坐标都几乎恰好"
            f"移动 lr = {lr}"))


# (shape, t, lr, beta1, beta2, eps, weight_decay): every hyper-parameter away from its default somewhere
CASES = [
    pytest.param((6,), 3, 0.1, 0.9, 0.999, 1e-8, 0.5, id="t=3-lr=0.1-wd=0.5"),
    pytest.param((3, 4), 1, 0.05, 0.8, 0.99, 1e-6, 0.1, id="t=1-beta1=0.8-beta2=0.99-eps=1e-6"),
    pytest.param((5,), 2, 0.3, 0.5, 0.9, 1e-3, 0.02, id="t=2-beta1=0.5-beta2=0.9-eps=1e-3"),
    pytest.param((2, 7), 1000, 0.01, 0.9, 0.999, 1e-8, 0.0, id="t=1000-wd=0"),
    pytest.param((8,), 7, 0.5, 0.95, 0.98, 1e-4, 0.8, id="t=7-lr=0.5-wd=0.8"),
]


@pytest.mark.zh("与逐元素的标量推导一致")
@pytest.mark.parametrize(("shape", "step", "lr", "b1", "b2", "eps", "wd"), CASES)
def test_matches_a_scalar_derivation(sub, rng, shape, step, lr, b1, b2, eps, wd):
    args = (*_state(rng, shape), step)
    kw = {"lr": lr, "beta1": b1, "beta2": b2, "eps": eps, "weight_decay": wd}
    _check(sub, args, kw, f"w {shape}, t={step}, lr={lr}, beta1={b1}, beta2={b2}, eps={eps}, weight_decay={wd}")


@pytest.mark.zh("eps 在开方之外")
def test_eps_outside_the_root(sub, rng):
    """Gradients ~1e-6 with eps = 1e-6: sqrt(v_hat) + eps and sqrt(v_hat + eps) differ by a factor of ~1000."""
    w, g, m, v = _state(rng, (7,), scale=1e-6)
    _check(sub, (w, g, m, v, 4), {"lr": 0.01, "eps": 1e-6, "weight_decay": 0.05},
           t("gradients ~1e-6", "梯度约为 1e-6") + ", t=4, lr=0.01, eps=1e-6, weight_decay=0.05")


@pytest.mark.zh("hyper-parameters 取默认值")
def test_defaults(sub, rng):
    args = (*_state(rng, (5, 2)), 2)
    _check(sub, args, {}, t("every hyper-parameter at its default (lr 1e-3, betas 0.9, 0.999, eps 1e-8, "
                            "weight_decay 1e-2), t=2", "所有超参数取默认值（lr 1e-3，betas 0.9、0.999，eps 1e-8，"
                            "weight_decay 1e-2），t=2"))


@pytest.mark.zh("连续 30 步")
def test_thirty_chained_steps(sub, rng):
    """The grader feeds each returned (w, m, v) back with t = 1, 2, ..., 30."""
    w = rng.standard_normal(6) * 3
    target = rng.standard_normal(6)
    m = v = np.zeros(6)
    kw = {"lr": 0.05, "beta1": 0.85, "beta2": 0.995, "eps": 1e-8, "weight_decay": 0.2}
    ew, em, ev = w.copy(), m.copy(), v.copy()
    for step in range(1, 31):
        g = 2 * (w - target)  # gradient of |w - target|^2 at the learner's own current w
        ctx = t(f"step t={step} of 30 chained steps", f"连续 30 步中的第 t={step} 步") + \
            ", lr=0.05, beta1=0.85, beta2=0.995, weight_decay=0.2"
        got = expect_tuple(sub(w, g, m, v, step, **kw), NAMES, context=ctx)
        eg = 2 * (ew - target)
        ew, em, ev = _expected(ew, eg, em, ev, step, 0.05, 0.85, 0.995, 1e-8, 0.2)
        for name, a, b in zip(NAMES, got, (ew, em, ev)):
            expect_array(a, b, name=name, context=ctx, rtol=1e-6, atol=1e-9)
        w, m, v = (np.array(a, dtype=np.float64) for a in got)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    args = tuple(a.astype(np.float32) for a in _state(rng, (4, 5)))
    _check(sub, (*args, 3), {"lr": 0.01, "weight_decay": 0.1}, t("float32 inputs", "float32 输入") +
           ", t=3, lr=0.01, weight_decay=0.1", dtype=np.float32)


@st.composite
def cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=2)))
    return (shape, draw(st.integers(1, 500)), draw(st.sampled_from([1e-3, 0.01, 0.1, 0.3])),
            draw(st.sampled_from([0.5, 0.9, 0.95])), draw(st.sampled_from([0.9, 0.99, 0.999])),
            draw(st.sampled_from([1e-8, 1e-6, 1e-3])), draw(st.sampled_from([0.0, 0.01, 0.1, 1.0])),
            10.0 ** draw(st.integers(-4, 3)), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, c):
    shape, step, lr, b1, b2, eps, wd, scale, seed = c
    args = (*_state(np.random.default_rng(seed), shape, scale), step)
    kw = {"lr": lr, "beta1": b1, "beta2": b2, "eps": eps, "weight_decay": wd}
    _check(sub, args, kw, f"w {shape}, |g| ~{scale:g}, t={step}, lr={lr}, beta1={b1}, beta2={b2}, eps={eps}, "
                          f"weight_decay={wd}")


def speed_case(rng):
    return (*_state(rng, (1000, 1000)), 10), {"lr": 1e-3, "weight_decay": 0.01}
