"""Hidden checks for SGD with momentum: hand steps, the constant-gradient closed form, decay, chaining."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_tuple, for_all


def _step(sub, args, kwargs, context):
    return expect_tuple(sub(*args, **kwargs), ("w_new", "v_new"), context=context)


def _same(sub, ref, args, kwargs, context, **tol):
    got = _step(sub, args, kwargs, context)
    for name, a, b in zip(("w_new", "v_new"), got, ref(*args, **kwargs)):
        expect_array(a, b, name=name, context=context, **tol)
    return got


def check_hand_computed_steps(sub):
    w, v, g = np.array([1.0, -1.0]), np.zeros(2), np.array([0.2, 0.4])
    expected = [([0.98, -1.04], [0.2, 0.4]), ([0.942, -1.116], [0.38, 0.76]), ([0.8878, -1.2244], [0.542, 1.084])]
    for t, (we, ve) in enumerate(expected, 1):
        ctx = f"step {t} from w = [1, -1], v = 0, g = [0.2, 0.4], lr = 0.1, momentum = 0.9"
        w, v = _step(sub, (w, g, v, 0.1, 0.9), {}, ctx)
        expect_array(v, np.array(ve), name="v_new", context=ctx)
        expect_array(w, np.array(we), name="w_new", context=ctx)


def check_constant_gradient_closed_form(sub, rng):
    g, w0 = rng.standard_normal(5), rng.standard_normal(5)
    mu, lr = 0.8, 0.05
    w, v = w0, np.zeros(5)
    for t in range(1, 13):
        ctx = f"constant gradient, step {t}, lr = {lr}, momentum = {mu}"
        w, v = _step(sub, (w, g, v, lr, mu), {}, ctx)
        expect_array(v, g * (1 - mu ** t) / (1 - mu), name="v_new", context=ctx + ": v_t = g (1 - mu^t) / (1 - mu)")
    total = sum((1 - mu ** s) / (1 - mu) for s in range(1, 13))
    expect_array(w, w0 - lr * g * total, name="w after 12 steps",
                 context="constant gradient: w_12 = w_0 - lr g sum_s (1 - mu^s) / (1 - mu)")


def check_zero_momentum_is_plain_sgd(sub, rng):
    w, g, v = rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    ctx = "momentum = 0 (whatever v holds): plain SGD, w - lr g"
    w1, v1 = _step(sub, (w, g, v, 0.3, 0.0), {}, ctx)
    expect_array(w1, w - 0.3 * g, name="w_new", context=ctx)
    expect_array(v1, g, name="v_new", context=ctx)


def check_weight_decay_enters_the_buffer(sub, ref, rng):
    w, g, v = rng.standard_normal((4, 2)) * 3, rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    _same(sub, ref, (w, g, v, 0.01, 0.9), {"weight_decay": 0.05},
          "weight_decay = 0.05: g' = g + wd * w, folded in before the momentum buffer")
    ctx = "w = [1, -1], g = [0.2, 0.4], v = 0, lr = 0.1, momentum = 0.9, weight_decay = 0.01"
    w1, v1 = _step(sub, (np.array([1.0, -1.0]), np.array([0.2, 0.4]), np.zeros(2), 0.1, 0.9),
                   {"weight_decay": 0.01}, ctx)
    expect_array(v1, np.array([0.21, 0.39]), name="v_new", context=ctx)
    expect_array(w1, np.array([0.979, -1.039]), name="w_new", context=ctx)


def check_float32_stays_float32(sub, ref, rng):
    a = [rng.standard_normal((5, 3)).astype(np.float32) for _ in range(3)]
    _same(sub, ref, (*a, 0.01, 0.9), {"weight_decay": 1e-4}, "float32 arrays (5, 3)", dtype=np.float32)


@st.composite
def _cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    return (shape, draw(st.sampled_from([1e-3, 0.01, 0.5])), draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])),
            draw(st.sampled_from([0.0, 1e-4, 0.1])), draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        shape, lr, mu, wd, seed = c
        r = np.random.default_rng(seed)
        args = (r.standard_normal(shape), r.standard_normal(shape), r.standard_normal(shape), lr, mu)
        _same(sub, ref, args, {"weight_decay": wd}, f"shape {shape}, lr = {lr}, momentum = {mu}, weight_decay = {wd}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    shape = (1000, 1000)
    return (rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal(shape), 0.01, 0.9), {
        "weight_decay": 1e-4}
