"""Hidden checks for two-layer-sgd-step: the loss before the step, gradients by finite differences, stability."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, for_all, numeric_grad


def _grad_error(analytic, numeric):
    """max|a - n| / max(1e-8, max(|a| + |n|)): the error relative to the gradient's scale.

    A coordinate whose gradient is ~0 is then judged by its absolute accuracy, not by the ratio of two
    rounding errors (coordinate by coordinate, a correct gradient fails about once in a thousand runs).
    """
    scale = float(np.max(np.abs(analytic) + np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(1e-8, scale)


NAMES = ("loss", "W1", "b1", "W2", "b2")


def _params(rng, n, d, h, out_scale=1.0, soft=False):
    """Random inputs with every hidden pre-activation at least 1e-3 away from the ReLU kink."""
    x = rng.standard_normal((n, d))
    y = rng.uniform(0.0, 1.0, n) if soft else rng.integers(0, 2, n).astype(np.float64)
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    b1 = rng.standard_normal(h) * 0.1
    a = x @ w1 + b1
    near = np.abs(a) < 1e-2
    while near.any():  # nudge b1 until no unit sits on its kink for any sample
        b1 = b1 + 0.02 * near.any(axis=0)
        a = x @ w1 + b1
        near = np.abs(a) < 1e-2
    w2 = rng.standard_normal((h, 1)) * out_scale
    b2 = rng.standard_normal(1)
    return x, y, w1, b1, w2, b2


def _loss(x, y, w1, b1, w2, b2):
    """Mean BCE from logits, written independently: log(1 + e^z) - y z via logaddexp."""
    z = (np.maximum(x @ w1 + b1, 0.0) @ w2)[:, 0] + b2[0]
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _step(impl, args, lr, ctx, dtype=None):
    got = expect_tuple(impl(*args, lr), NAMES, context=ctx)
    for name, value, like in zip(NAMES[1:], got[1:], args[2:]):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300, dtype=dtype)
    return got


def _ctx(x, w1, lr, extra=""):
    return f"x {x.shape}, W1 {w1.shape}, lr={lr}" + extra


def check_hand_worked_example(sub):
    x = np.array([[1.0, 2.0], [0.0, -1.0]])
    y = np.array([1.0, 0.0])
    w1 = np.array([[0.5, -0.5], [0.25, 0.5]])
    args = (x, y, w1, np.zeros(2), np.array([[1.0], [-1.0]]), np.zeros(1))
    ctx = "the worked example of the statement, lr=0.1"
    loss, w1n, b1n, w2n, b2n = _step(sub, args, 0.1, ctx)
    # logits 0.5 and 0; dz = (sigmoid(z) - y) / N
    g0 = (1 / (1 + np.exp(-0.5)) - 1.0) / 2
    expect_number(loss, float(np.log1p(np.exp(-0.5)) + np.log(2.0)) / 2, name="loss", context=ctx)
    expect_array(w1n, w1 - 0.1 * np.array([[g0, -g0], [2 * g0, -2 * g0]]), name="W1", context=ctx)
    expect_array(b1n, -0.1 * np.array([g0, -g0]), name="b1", context=ctx)
    expect_array(w2n, np.array([[1.0 - 0.1 * g0], [-1.0 - 0.05 * g0]]), name="W2", context=ctx)
    expect_array(b2n, -0.1 * np.array([g0 + 0.25]), name="b2", context=ctx)


def check_loss_is_taken_before_the_step(sub, rng):
    for n, d, h, soft in [(8, 3, 5, False), (5, 6, 4, True)]:
        args = _params(rng, n, d, h, soft=soft)
        ctx = _ctx(args[0], args[2], 0.5, ", soft labels" if soft else "")
        got = _step(sub, args, 0.5, ctx)
        expect_number(got[0], _loss(*args), name="loss", context=ctx)


def _finite_difference_case(sub, rng, n, d, h, lr, soft):
    args = _params(rng, n, d, h, soft=soft)
    ctx = _ctx(args[0], args[2], lr, ", soft labels" if soft else "")
    got = _step(sub, args, lr, ctx)
    for k, name in enumerate(NAMES[1:]):
        old = args[2 + k]
        grad = (old - got[1 + k]) / lr  # the step is -lr * grad

        def loss_of(v, k=k):
            return _loss(*args[:2 + k], v, *args[3 + k:])

        indices, numeric = numeric_grad(loss_of, old, 1.0, rng=rng)
        analytic = np.array([grad[i] for i in indices])
        err = _grad_error(analytic, numeric)
        if err > 1e-5:
            j = int(np.argmax(np.abs(analytic - numeric)))
            raise CheckFailed(f"{ctx}: the step on {name} is not -lr * dloss/d{name}: at {list(indices[j])} "
                              f"finite differences give a gradient of {numeric[j]:.6g}, your step implies "
                              f"{analytic[j]:.6g} (relative error {err:.2g} > 1e-05)")


def check_update_follows_the_gradient(sub, rng):
    _finite_difference_case(sub, rng, 9, 4, 6, 0.5, False)
    _finite_difference_case(sub, rng, 4, 7, 3, 0.1, True)
    _finite_difference_case(sub, rng, 1, 3, 2, 1.0, False)


def check_large_logits(sub, ref, rng):
    """Logits around +-50 and +-1e4 on both labels: the naive log(sigmoid) formula gives inf or nan."""
    for scale in (50.0, 1e4):
        x, _, w1, b1, w2, _ = _params(rng, 8, 3, 4)
        z = (np.maximum(x @ w1 + b1, 0.0) @ w2)[:, 0]
        top = int(np.argmax(np.abs(z)))
        w2 = w2 * scale / z[top]  # the largest logit becomes +scale
        y = np.array([0.0, 1.0] * 4)
        y[top] = 0.0  # confidently wrong: log(1 - sigmoid(z)) underflows to log(0) in the naive formula
        args = (x, y, w1, b1, w2, np.zeros(1))
        ctx = _ctx(x, w1, 0.01, f", |logits| up to {scale:g}")
        got = _step(sub, args, 0.01, ctx)
        expect_number(got[0], _loss(*args), name="loss", context=ctx)
        for name, g, e in zip(NAMES[1:], got[1:], ref(*args, 0.01)[1:]):
            expect_array(g, e, name=name, context=ctx)


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 9)), draw(st.integers(1, 9)), draw(st.integers(1, 9)),
            draw(st.sampled_from([0.01, 0.1, 1.0])), draw(st.sampled_from([0.5, 3.0])), draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    for_all(rng, _cases(), lambda c: _random_case(sub, ref, *c), examples=8)


def _random_case(sub, ref, n, d, h, lr, out_scale, seed):
    args = _params(np.random.default_rng(seed), n, d, h, out_scale=out_scale)
    ctx = _ctx(args[0], args[2], lr)
    got = _step(sub, args, lr, ctx)
    expected = ref(*args, lr)
    expect_number(got[0], expected[0], name="loss", context=ctx)
    for name, g, e in zip(NAMES[1:], got[1:], expected[1:]):
        expect_array(g, e, name=name, context=ctx)


def check_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 10, 4, 6))
    ctx = _ctx(args[0], args[2], 0.1, ", float32 inputs")
    got = _step(sub, args, 0.1, ctx, dtype=np.float32)
    expected = ref(*args, 0.1)
    expect_number(got[0], expected[0], name="loss", context=ctx, rtol=1e-4, atol=1e-6)
    for name, g, e in zip(NAMES[1:], got[1:], expected[1:]):
        expect_array(g, e, name=name, context=ctx, dtype=np.float32)


def speed_case(rng):
    return (*_params(rng, 2048, 128, 256), 0.1), {}
