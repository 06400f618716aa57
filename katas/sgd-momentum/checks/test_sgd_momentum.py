"""Hidden checks for SGD with momentum: hand steps, the constant-gradient closed form, decay, chaining."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_tuple, t


def _step(sub, args, kwargs, context):
    return expect_tuple(sub(*args, **kwargs), ("w_new", "v_new"), context=context)


def _same(sub, ref, args, kwargs, context, **tol):
    got = _step(sub, args, kwargs, context)
    for name, a, b in zip(("w_new", "v_new"), got, ref(*args, **kwargs)):
        expect_array(a, b, name=name, context=context, **tol)
    return got


@pytest.mark.zh("手算的三步")
def test_hand_computed_steps(sub):
    w, v, g = np.array([1.0, -1.0]), np.zeros(2), np.array([0.2, 0.4])
    expected = [([0.98, -1.04], [0.2, 0.4]), ([0.942, -1.116], [0.38, 0.76]), ([0.8878, -1.2244], [0.542, 1.084])]
    for step, (we, ve) in enumerate(expected, 1):
        ctx = t(f"step {step} from w = [1, -1], v = 0", f"从 w = [1, -1]、v = 0 出发的第 {step} 步") + \
            ", g = [0.2, 0.4], lr = 0.1, momentum = 0.9"
        w, v = _step(sub, (w, g, v, 0.1, 0.9), {}, ctx)
        expect_array(v, np.array(ve), name="v_new", context=ctx)
        expect_array(w, np.array(we), name="w_new", context=ctx)


@pytest.mark.zh("恒定梯度的闭式解")
def test_constant_gradient_closed_form(sub, rng):
    g, w0 = rng.standard_normal(5), rng.standard_normal(5)
    mu, lr = 0.8, 0.05
    w, v = w0, np.zeros(5)
    for step in range(1, 13):
        ctx = t(f"constant gradient, step {step}", f"恒定梯度，第 {step} 步") + f", lr = {lr}, momentum = {mu}"
        w, v = _step(sub, (w, g, v, lr, mu), {}, ctx)
        expect_array(v, g * (1 - mu ** step) / (1 - mu), name="v_new", context=ctx + ": v_t = g (1 - mu^t) / (1 - mu)")
    total = sum((1 - mu ** s) / (1 - mu) for s in range(1, 13))
    expect_array(w, w0 - lr * g * total, name=t("w after 12 steps", "12 步后的 w"),
                 context=t("constant gradient", "恒定梯度") + ": w_12 = w_0 - lr g sum_s (1 - mu^s) / (1 - mu)")


@pytest.mark.zh("动量为 0 时就是普通 SGD")
def test_zero_momentum_is_plain_sgd(sub, rng):
    w, g, v = rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    ctx = t("momentum = 0 (whatever v holds): plain SGD, w - lr g", "momentum = 0（无论 v 是什么）：普通 SGD，w - lr g")
    w1, v1 = _step(sub, (w, g, v, 0.3, 0.0), {}, ctx)
    expect_array(w1, w - 0.3 * g, name="w_new", context=ctx)
    expect_array(v1, g, name="v_new", context=ctx)


@pytest.mark.zh("权重衰减进入动量缓冲")
def test_weight_decay_enters_the_buffer(sub, ref, rng):
    w, g, v = rng.standard_normal((4, 2)) * 3, rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    _same(sub, ref, (w, g, v, 0.01, 0.9), {"weight_decay": 0.05},
          t("weight_decay = 0.05: g' = g + wd * w, folded in before the momentum buffer",
            "weight_decay = 0.05：g' = g + wd * w，在动量缓冲之前并入"))
    ctx = "w = [1, -1], g = [0.2, 0.4], v = 0, lr = 0.1, momentum = 0.9, weight_decay = 0.01"
    w1, v1 = _step(sub, (np.array([1.0, -1.0]), np.array([0.2, 0.4]), np.zeros(2), 0.1, 0.9),
                   {"weight_decay": 0.01}, ctx)
    expect_array(v1, np.array([0.21, 0.39]), name="v_new", context=ctx)
    expect_array(w1, np.array([0.979, -1.039]), name="w_new", context=ctx)


@pytest.mark.zh("不修改输入")
def test_inputs_are_not_modified(sub, rng):
    w, g, v = rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    ctx = t("w, g, v (3, 4) passed as writable arrays, lr = 0.1, momentum = 0.9, weight_decay = 0.01: "
            "return new arrays, do not update w, g or v in place",
            "w、g、v (3, 4) 以可写数组传入，lr = 0.1，momentum = 0.9，weight_decay = 0.01："
            "返回新数组，不要原地修改 w、g 或 v")
    after = expect_tuple(sub.harness("inputs_after_a_step")(w, g, v, 0.1, 0.9, 0.01), ("w", "g", "v"), context=ctx)
    for name, a, b in zip(("w", "g", "v"), after, (w, g, v)):
        expect_array(a, b, name=t(f"{name} after the call", f"调用之后的 {name}"), context=ctx, rtol=0.0, atol=0.0)


@pytest.mark.zh("float32 输入得到 float32 输出")
@pytest.mark.parametrize("wd", [pytest.param(0.0, id="weight_decay=0"), pytest.param(1e-4, id="weight_decay=1e-4")])
def test_float32_stays_float32(sub, ref, rng, wd):
    a = [rng.standard_normal((5, 3)).astype(np.float32) for _ in range(3)]
    _same(sub, ref, (*a, 0.01, 0.9), {"weight_decay": wd},
          t("float32 arrays (5, 3)", "float32 数组 (5, 3)") + f", weight_decay = {wd}", dtype=np.float32)


@st.composite
def sgd_cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    return (shape, draw(st.sampled_from([1e-3, 0.01, 0.5])), draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])),
            draw(st.sampled_from([0.0, 1e-4, 0.1])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=10)
@given(c=sgd_cases())
def test_random_cases(sub, ref, c):
    shape, lr, mu, wd, seed = c
    r = np.random.default_rng(seed)
    args = (r.standard_normal(shape), r.standard_normal(shape), r.standard_normal(shape), lr, mu)
    _same(sub, ref, args, {"weight_decay": wd}, f"shape {shape}, lr = {lr}, momentum = {mu}, weight_decay = {wd}")


def speed_case(rng):
    shape = (1000, 1000)
    return (rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal(shape), 0.01, 0.9), {
        "weight_decay": 1e-4}
