"""Hidden checks for batch-norm: train and eval forward, running statistics, stability, backward."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, for_all, numeric_grad


def _grad_error(analytic, numeric):
    """max|a - n| / max(1e-8, max(|a| + |n|)): the error relative to the gradient's scale.

    A coordinate whose gradient is ~0 is then judged by its absolute accuracy, not by the ratio of two
    rounding errors (coordinate by coordinate, a correct gradient fails about once in a thousand runs).
    """
    scale = float(np.max(np.abs(analytic) + np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(1e-8, scale)


FORWARD = ("out", "new_running_mean", "new_running_var")
BACKWARD = ("dx", "dgamma", "dbeta")


def _params(rng, n, d, scale=1.0, offset=0.0):
    x = rng.standard_normal((n, d)) * scale + offset
    gamma = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
    beta = rng.standard_normal(d)
    running_mean = rng.standard_normal(d)
    running_var = rng.uniform(0.5, 2.0, d)
    return x, gamma, beta, running_mean, running_var


def _expected_train(x, gamma, beta, rm, rv, momentum, eps):
    """The train-mode definition, written independently: biased variance to normalize, unbiased to track."""
    mu = np.mean(x, axis=0)
    centred = x - mu
    var_biased = np.mean(centred**2, axis=0)
    var_unbiased = np.sum(centred**2, axis=0) / (x.shape[0] - 1)
    out = gamma * centred / np.sqrt(var_biased + eps) + beta
    return out, (1 - momentum) * rm + momentum * mu, (1 - momentum) * rv + momentum * var_unbiased


def _forward(impl, args, ctx, **kwargs):
    got = expect_tuple(impl(*args, **kwargs), FORWARD, context=ctx)
    return got


def _expect_all(got, expected, names, ctx, **kw):
    for name, g, e in zip(names, got, expected):
        expect_array(g, e, name=name, context=ctx, **kw)


def check_hand_worked_example(sub):
    x = np.array([[1.0, 10.0], [3.0, 14.0]])
    args = (x, np.array([1.0, 2.0]), np.array([0.0, 1.0]), np.zeros(2), np.ones(2), True)
    ctx = "x [[1, 10], [3, 14]], gamma [1, 2], beta [0, 1], running stats 0 and 1, train, eps=0"
    got = _forward(sub, args, ctx, momentum=0.1, eps=0.0)
    expected = (np.array([[-1.0, -1.0], [1.0, 3.0]]), np.array([0.2, 1.2]), np.array([1.1, 1.7]))
    _expect_all(got, expected, FORWARD, ctx)


def check_train_forward(sub, rng):
    for n, d, momentum, eps in [(8, 5, 0.1, 1e-5), (3, 7, 0.1, 1e-5), (16, 4, 0.3, 1e-3)]:
        x, g, b, rm, rv = _params(rng, n, d, scale=rng.uniform(0.5, 3.0), offset=rng.uniform(-5.0, 5.0))
        ctx = f"train, x {x.shape}, momentum={momentum}, eps={eps}"
        got = _forward(sub, (x, g, b, rm, rv, True), ctx, momentum=momentum, eps=eps)
        _expect_all(got, _expected_train(x, g, b, rm, rv, momentum, eps), FORWARD, ctx)
        # property: each column of out has mean beta and (biased) std |gamma| * sqrt(var / (var + eps))
        var = x.var(axis=0)
        expect_array(got[0].mean(axis=0), b, name="column means of out (should equal beta)", context=ctx)
        expect_array(got[0].std(axis=0), np.abs(g) * np.sqrt(var / (var + eps)),
                     name="column standard deviations of out", context=ctx)


def check_default_momentum_and_eps(sub, rng):
    x, g, b, rm, rv = _params(rng, 6, 3)
    ctx = f"train, x {x.shape}, momentum and eps left at their defaults"
    _expect_all(_forward(sub, (x, g, b, rm, rv, True), ctx), _expected_train(x, g, b, rm, rv, 0.1, 1e-5),
                FORWARD, ctx)


def check_eval_uses_running_statistics(sub, rng):
    for n, d in [(5, 3), (1, 4)]:
        x, g, b, rm, rv = _params(rng, n, d)
        ctx = f"eval (train=False), x {x.shape}, momentum=0.1"
        got = _forward(sub, (x, g, b, rm, rv, False), ctx, momentum=0.1, eps=1e-5)
        expected = (g * (x - rm) / np.sqrt(rv + 1e-5) + b, rm, rv)
        _expect_all(got, expected, FORWARD, ctx)


def check_large_offset_and_tiny_variance(sub, rng):
    """Columns around 1e6 (E[x^2] - E[x]^2 cancels catastrophically) and columns with variance ~ eps."""
    x, g, b, rm, rv = _params(rng, 10, 4)
    x = x * np.array([1.0, 1.0, 1e-3, 3e-3]) + np.array([1e6, -3e5, 0.0, 2.0])
    ctx = "train, x (10, 4) with columns offset by 1e6 and -3e5 and columns of std 1e-3, eps=1e-5"
    got = _forward(sub, (x, g, b, rm, rv, True), ctx, momentum=0.1, eps=1e-5)
    _expect_all(got, _expected_train(x, g, b, rm, rv, 0.1, 1e-5), FORWARD, ctx)


def check_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 9, 6))
    ctx = "train, float32 inputs, x (9, 6)"
    got = _forward(sub, (*args, True), ctx, momentum=0.1, eps=1e-5)
    _expect_all(got, ref(*args, True, momentum=0.1, eps=1e-5), FORWARD, ctx, dtype=np.float32)


def _backward(sub, dout, x, g, eps, ctx):
    got = expect_tuple(sub.fn("batchnorm_backward")(dout, x, g, eps=eps), BACKWARD, context=ctx)
    for name, value, like in zip(BACKWARD, got, (x, g, g)):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300)
    return got


def _expect_grad(analytic, f, x, dout, name, rng, ctx):
    indices, numeric = numeric_grad(f, x, dout, rng=rng)
    got = np.array([analytic[i] for i in indices])
    err = _grad_error(got, numeric)
    if err > 1e-6:
        k = int(np.argmax(np.abs(got - numeric)))
        raise CheckFailed(f"{ctx}: {name} disagrees with finite differences: at {list(indices[k])} numeric "
                          f"{numeric[k]:.6g}, yours {got[k]:.6g} (relative error {err:.2g} > 1e-06)")


def _train_out(x, gamma, beta, eps):
    return _expected_train(x, gamma, beta, np.zeros(x.shape[1]), np.ones(x.shape[1]), 0.1, eps)[0]


def _finite_difference_case(sub, rng, n, d, eps):
    x, g, b, _, _ = _params(rng, n, d, scale=2.0, offset=1.0)
    dout = rng.standard_normal((n, d))
    ctx = f"batchnorm_backward, x {x.shape}, eps={eps}"
    dx, dgamma, dbeta = _backward(sub, dout, x, g, eps, ctx)
    _expect_grad(dx, lambda v: _train_out(v, g, b, eps), x, dout, "dx", rng, ctx)
    _expect_grad(dgamma, lambda v: _train_out(x, v, b, eps), g, dout, "dgamma", rng, ctx)
    _expect_grad(dbeta, lambda v: _train_out(x, g, v, eps), b, dout, "dbeta", rng, ctx)
    # property: adding a constant to a column does not change out, so each column of dx sums to 0
    expect_array(dx.sum(axis=0), np.zeros(d), name="column sums of dx (should be 0)", context=ctx, atol=1e-9)


def check_backward_finite_differences(sub, rng):
    _finite_difference_case(sub, rng, 7, 4, 1e-5)
    _finite_difference_case(sub, rng, 3, 6, 1e-2)


def check_backward_matches_reference(sub, ref, rng):
    for n, d in [(12, 5), (2, 3), (20, 9)]:
        x, g, _, _, _ = _params(rng, n, d, scale=rng.uniform(0.1, 10.0), offset=rng.uniform(-50.0, 50.0))
        dout = rng.standard_normal((n, d))
        ctx = f"batchnorm_backward, x {x.shape}, eps=1e-5"
        got = _backward(sub, dout, x, g, 1e-5, ctx)
        _expect_all(got, ref.fn("batchnorm_backward")(dout, x, g, eps=1e-5), BACKWARD, ctx)


@st.composite
def _backward_cases(draw):
    return (draw(st.integers(2, 20)), draw(st.integers(1, 9)), draw(st.sampled_from([0.1, 1.0, 10.0])),
            draw(st.sampled_from([0.0, -50.0, 50.0])), draw(st.integers(0, 2**31)))


def check_random_backward_cases(sub, ref, rng):
    def case(c):
        n, d, scale, offset, seed = c
        r = np.random.default_rng(seed)
        x, g, _, _, _ = _params(r, n, d, scale=scale, offset=offset)
        dout = r.standard_normal((n, d))
        ctx = f"batchnorm_backward, x {x.shape} (scale {scale}, offset {offset}), eps=1e-5"
        got = _backward(sub, dout, x, g, 1e-5, ctx)
        _expect_all(got, ref.fn("batchnorm_backward")(dout, x, g, eps=1e-5), BACKWARD, ctx)

    for_all(rng, _backward_cases(), case, examples=8)


def speed_case(rng):
    x, g, b, rm, rv = _params(rng, 512, 1024)
    return (x, g, b, rm, rv, True), {"momentum": 0.1, "eps": 1e-5}
