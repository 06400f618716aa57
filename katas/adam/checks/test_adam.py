"""Hidden checks for Adam: the first step ~lr, a scalar re-derivation, eps placement, long runs, dtypes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t


def _step(sub, args, kwargs, context):
    return expect_tuple(sub(*args, **kwargs), ("w_new", "m_new", "v_new"), context=context)


def _same(sub, ref, args, kwargs, context, **tol):
    got = _step(sub, args, kwargs, context)
    for name, a, b in zip(("w_new", "m_new", "v_new"), got, ref(*args, **kwargs)):
        expect_array(a, b, name=name, context=context, **tol)
    return got


def _scalar_adam(w, g, m, v, step, lr, b1, b2, eps):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** step), v / (1 - b2 ** step)
    return w - lr * mh / (math.sqrt(vh) + eps), m, v


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    w, g, z = np.array([1.0, -2.0]), np.array([0.5, -0.1]), np.zeros(2)
    ctx = "w = [1, -2], g = [0.5, -0.1], m = v = 0, t = 1, lr = 0.1"
    w1, m1, v1 = _step(sub, (w, g, z, z, 1, 0.1), {}, ctx)
    expect_array(m1, np.array([0.05, -0.01]), name="m_new", context=ctx)
    expect_array(v1, np.array([2.5e-4, 1e-5]), name="v_new", context=ctx)
    expect_array(w1, w - 0.1 * g / (np.abs(g) + 1e-8), name="w_new",
                 context=ctx + t(" (the step is lr * g / (|g| + eps))", "（步长为 lr * g / (|g| + eps)）"))


@pytest.mark.zh("第一步约为 lr")
def test_first_step_is_about_lr(sub, rng):
    g = rng.choice([-1.0, 1.0], size=50) * 10.0 ** rng.uniform(-3, 3, size=50)
    w, z = rng.standard_normal(50), np.zeros(50)
    ctx = t("t = 1 from m = v = 0, |gradients| from 1e-3 to 1e3, lr = 0.01",
            "从 m = v = 0 出发，t = 1，|梯度| 从 1e-3 到 1e3，lr = 0.01")
    w1 = expect_array(_step(sub, (w, g, z, z, 1, 0.01), {}, ctx)[0], w, name="w_new", context=ctx, rtol=1, atol=1)
    moved = np.abs(w - w1)
    if np.any(np.abs(moved - 0.01) > 1e-4 * 0.01 + 1e-12):
        i = int(np.argmax(np.abs(moved - 0.01)))
        raise CheckFailed(ctx + ": " + t(
            f"coordinate {i} (g = {g[i]:.3g}) moved {moved[i]:.6g}; with bias correction every coordinate "
            f"moves almost exactly lr = 0.01 on the first step",
            f"第 {i} 个坐标（g = {g[i]:.3g}）移动了 {moved[i]:.6g}；有偏差修正时，第一步每个坐标都几乎恰好移动 "
            f"lr = 0.01"))


@pytest.mark.zh("与逐元素的标量推导一致")
def test_matches_a_scalar_derivation(sub, rng):
    w, m, v = rng.standard_normal(4), np.zeros(4), np.zeros(4)
    lr, b1, b2, eps = 0.05, 0.8, 0.99, 1e-6
    ws = [list(map(float, w)), [0.0] * 4, [0.0] * 4]
    for step in range(1, 7):
        g = rng.standard_normal(4)
        ctx = t(f"step t = {step} of a 6-step run", f"6 步中的第 t = {step} 步") + \
            f", lr = {lr}, beta1 = {b1}, beta2 = {b2}, eps = {eps}"
        w, m, v = (np.asarray(a) for a in _step(sub, (w, g, m, v, step, lr),
                                                {"beta1": b1, "beta2": b2, "eps": eps}, ctx))
        cols = [_scalar_adam(ws[0][i], float(g[i]), ws[1][i], ws[2][i], step, lr, b1, b2, eps) for i in range(4)]
        ws = [list(c) for c in zip(*cols)]
        for name, got, exp in (("w_new", w, ws[0]), ("m_new", m, ws[1]), ("v_new", v, ws[2])):
            expect_array(got, np.array(exp), name=name, context=ctx)


@pytest.mark.zh("eps 加在开方之外")
def test_eps_outside_the_square_root(sub, ref, rng):
    g = rng.choice([-1.0, 1.0], size=6) * 1e-9
    v = np.full(6, 1e-18)
    # m ~ 1e-9 and v ~ 1e-18: absolute tolerances scaled to them
    args = (rng.standard_normal(6), g, g * 0.5, v, 3, 1e-3)
    ctx = t("gradients ~1e-9, v ~1e-18, t = 3: eps = 1e-8 must be added after the square root",
            "梯度约 1e-9，v 约 1e-18，t = 3：eps = 1e-8 应加在开方之后")
    got = _step(sub, args, {}, ctx)
    for name, a, b, atol in zip(("w_new", "m_new", "v_new"), got, ref(*args), (1e-10, 1e-20, 1e-30)):
        expect_array(a, b, name=name, context=ctx, atol=atol)


@pytest.mark.zh("eps 加在修正后的 sqrt(v_hat) 上")
@pytest.mark.parametrize("step", [pytest.param(1, id="t=1"), pytest.param(4, id="t=4")])
def test_eps_added_to_the_corrected_root(sub, ref, rng, step):
    # The paper's "efficient" form adds eps to the uncorrected sqrt(v_new): with a large eps the two differ.
    shape = (2, 5)
    args = (rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal(shape) * 0.1,
            rng.uniform(0.01, 0.1, size=shape), step, 0.1)
    _same(sub, ref, args, {"eps": 0.1}, t(f"eps = 0.1, t = {step}: w_new = w - lr * m_hat / (sqrt(v_hat) + eps)",
                                          f"eps = 0.1，t = {step}：w_new = w - lr * m_hat / (sqrt(v_hat) + eps)"))


@pytest.mark.zh("后期步数与自定义 beta")
@pytest.mark.parametrize(("step", "b1", "b2", "eps"), [
    pytest.param(1000, 0.9, 0.999, 1e-8, id="t=1000"),
    pytest.param(7, 0.5, 0.9, 1e-3, id="t=7-beta1=0.5-beta2=0.9-eps=1e-3"),
    pytest.param(2, 0.0, 0.99, 1e-8, id="t=2-beta1=0"),
])
def test_late_steps_and_custom_betas(sub, ref, rng, step, b1, b2, eps):
    shape = (3, 5)
    m, v = rng.standard_normal(shape) * 0.1, rng.uniform(0.0, 0.05, size=shape)
    _same(sub, ref, (rng.standard_normal(shape), rng.standard_normal(shape), m, v, step, 3e-4),
          {"beta1": b1, "beta2": b2, "eps": eps}, f"w (3, 5), t = {step}, beta1 = {b1}, beta2 = {b2}, eps = {eps}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    a = [rng.standard_normal((4, 3)).astype(np.float32) for _ in range(2)]
    m = (rng.standard_normal((4, 3)) * 0.1).astype(np.float32)
    v = rng.uniform(0.01, 0.1, size=(4, 3)).astype(np.float32)
    _same(sub, ref, (a[0], a[1], m, v, 5, 1e-2), {}, t("float32 arrays (4, 3), t = 5", "float32 数组 (4, 3)，t = 5"),
          dtype=np.float32)


@st.composite
def adam_cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    return (shape, draw(st.integers(1, 200)), draw(st.sampled_from([1e-4, 1e-3, 0.1])),
            draw(st.sampled_from([(0.9, 0.999), (0.8, 0.95), (0.95, 0.9999)])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=10)
@given(c=adam_cases())
def test_random_cases(sub, ref, c):
    shape, step, lr, (b1, b2), seed = c
    r = np.random.default_rng(seed)
    args = (r.standard_normal(shape), r.standard_normal(shape) * 10.0 ** r.integers(-3, 3),
            r.standard_normal(shape) * 0.1, r.uniform(0, 1, size=shape), step, lr)
    _same(sub, ref, args, {"beta1": b1, "beta2": b2}, f"shape {shape}, t = {step}, lr = {lr}, betas ({b1}, {b2})")


def speed_case(rng):
    shape = (1000, 1000)
    return (rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal(shape) * 0.1,
            rng.uniform(0, 1, size=shape), 10, 1e-3), {}
