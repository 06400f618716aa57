"""Hidden checks for rnn-bptt: forward by definition, the hand example, finite differences on every gradient,
gradients from later steps, accumulation over time, random shapes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, for_all

NAMES = ("dx", "dh0", "dWx", "dWh", "db")


def _params(rng, n, t, d, h, scale=0.5):
    return (rng.standard_normal((n, t, d)), rng.standard_normal((n, h)), rng.standard_normal((d, h)) * scale,
            rng.standard_normal((h, h)) * scale, rng.standard_normal(h) * 0.3)


def _forward_loops(x, h0, Wx, Wh, b):
    """The recurrence unit by unit, with math.tanh."""
    n, steps, d = x.shape
    hid = h0.shape[1]
    hs = np.zeros((n, steps, hid))
    for r in range(n):
        h = list(h0[r])
        for t in range(steps):
            h = [math.tanh(sum(x[r, t, k] * Wx[k, j] for k in range(d)) + sum(h[i] * Wh[i, j] for i in range(hid))
                           + b[j]) for j in range(hid)]
            hs[r, t] = h
    return hs


def _fast_forward(x, h0, Wx, Wh, b):
    hs, h = [], h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def _backward(sub, dhs, args, context):
    return expect_tuple(sub.fn("rnn_backward")(dhs, *args), NAMES, context=context)


def check_forward_matches_the_recurrence(sub, rng):
    args = _params(rng, 2, 4, 3, 5)
    expect_array(sub(*args), _forward_loops(*args), name="hs", context="N=2, T=4, D=3, H=5 (unit by unit)")


def check_hand_computed_example(sub):
    args = (np.array([[[1.0], [2.0]]]), np.zeros((1, 1)), np.array([[0.5]]), np.array([[-1.0]]), np.zeros(1))
    ctx = "the example of the statement, dhs all ones"
    h1 = math.tanh(0.5)
    h2 = math.tanh(1.0 - h1)
    expect_array(sub(*args), np.array([[[h1], [h2]]]), name="hs", context=ctx)
    da2 = 1 - h2 * h2
    da1 = (1 + da2 * -1.0) * (1 - h1 * h1)
    expected = (np.array([[[0.5 * da1], [0.5 * da2]]]), np.array([[-da1]]), np.array([[1 * da1 + 2 * da2]]),
                np.array([[0 * da1 + h1 * da2]]), np.array([da1 + da2]))
    for name, got, want in zip(NAMES, _backward(sub, np.ones((1, 2, 1)), args, ctx), expected):
        expect_array(got, want, name=name, context=ctx)


def check_finite_differences(sub, rng):
    for n, t, d, h in ((2, 4, 3, 5), (3, 3, 4, 2)):
        args = _params(rng, n, t, d, h)
        dhs = rng.standard_normal((n, t, h))
        ctx = f"N={n}, T={t}, D={d}, H={h}, upstream gradient at every step"
        grads = _backward(sub, dhs, args, ctx)
        for k, name in enumerate(NAMES):
            def f(v, k=k, args=args):
                a = list(args)
                a[k] = v
                return _fast_forward(*a)
            expect_grad(grads[k], f, args[k], dhs, name=name, rng=rng, context=ctx)


def check_gradient_from_the_last_step_only(sub, rng):
    n, t, d, h = 2, 5, 3, 4
    args = _params(rng, n, t, d, h, scale=0.8)
    dhs = np.zeros((n, t, h))
    dhs[:, -1] = rng.standard_normal((n, h))
    ctx = "loss on the last hidden state only: the first steps get gradient only through the recurrence"
    grads = _backward(sub, dhs, args, ctx)
    expect_grad(grads[0], lambda v: _fast_forward(v, *args[1:]), args[0], dhs, name="dx", rng=rng, context=ctx,
                samples=15)
    expect_grad(grads[1], lambda v: _fast_forward(args[0], v, *args[2:]), args[1], dhs, name="dh0", rng=rng,
                context=ctx)


def check_weight_gradients_accumulate(sub, ref, rng):
    args = _params(rng, 3, 6, 2, 3)
    dhs = rng.standard_normal((3, 6, 3))
    ctx = "N=3, T=6, D=2, H=3: shared weights collect gradient from all 6 steps"
    for name, got, want in zip(NAMES, _backward(sub, dhs, args, ctx), ref.fn("rnn_backward")(dhs, *args)):
        expect_array(got, want, name=name, context=ctx)


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 4)), draw(st.integers(3, 7)), draw(st.integers(1, 5)), draw(st.integers(1, 5)),
            draw(st.integers(0, 2**31)))


def check_random_shapes(sub, ref, rng):
    def case(c):
        n, t, d, h, seed = c
        r = np.random.default_rng(seed)
        args = _params(r, n, t, d, h)
        dhs = r.standard_normal((n, t, h))
        ctx = f"N={n}, T={t}, D={d}, H={h}"
        expect_array(sub(*args), ref(*args), name="hs", context=ctx)
        for name, got, want in zip(NAMES, _backward(sub, dhs, args, ctx), ref.fn("rnn_backward")(dhs, *args)):
            expect_array(got, want, name=name, context=ctx)

    for_all(rng, _cases(), case, examples=8)


def speed_case(rng):
    return _params(rng, 32, 50, 64, 128, scale=0.1), {}
