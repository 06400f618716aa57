"""Hidden checks for lstm-cell: a hand example, bias-only probes that tell gate orders apart, a unit-by-unit
definition, recurrent weights, large pre-activations, random shapes, dtypes."""

import itertools
import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_tuple, for_all


def _call(impl, args, context):
    return expect_tuple(impl(*args), ("h_next", "c_next"), context=context)


def _same(sub, ref, args, context, **tol):
    got = _call(sub, args, context)
    for name, a, e in zip(("h_next", "c_next"), got, ref(*args)):
        expect_array(a, e, name=name, context=context, **tol)


def _sig(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _units(x, h, c, W, U, b):
    """The cell written unit by unit with math: an independent derivation of the same equations."""
    n, hid = c.shape
    h_next, c_next = np.zeros((n, hid)), np.zeros((n, hid))
    for r in range(n):
        for j in range(hid):
            pre = [sum(x[r, t] * W[t, gate * hid + j] for t in range(x.shape[1]))
                   + sum(h[r, t] * U[t, gate * hid + j] for t in range(hid)) + b[gate * hid + j] for gate in range(4)]
            i, f, g, o = _sig(pre[0]), _sig(pre[1]), math.tanh(pre[2]), _sig(pre[3])
            c_next[r, j] = f * c[r, j] + i * g
            h_next[r, j] = o * math.tanh(c_next[r, j])
    return h_next, c_next


def check_hand_computed_example(sub):
    args = (np.array([[1.0]]), np.array([[0.0]]), np.array([[0.5]]), np.array([[0.5, 0.5, 1.0, -1.0]]),
            np.zeros((1, 4)), np.array([1.0, -1.0, 0.5, 2.0]))
    ctx = "the example of the statement (z = [1.5, -0.5, 1.5, 1.0])"
    h_next, c_next = _call(sub, args, ctx)
    c_exp = _sig(-0.5) * 0.5 + _sig(1.5) * math.tanh(1.5)
    expect_array(c_next, np.array([[c_exp]]), name="c_next", context=ctx)
    expect_array(h_next, np.array([[_sig(1.0) * math.tanh(c_exp)]]), name="h_next", context=ctx)


def check_gate_order_probes(sub):
    # W = U = 0 and c = 0.5: each row saturates every gate at +-20, so i, f, o are 0 or 1 and g is +-1;
    # the 16 sign patterns give results that differ for every other gate order.
    patterns = list(itertools.product((20.0, -20.0), repeat=4))
    n = len(patterns)
    x, h, c = np.zeros((n, 2)), np.zeros((n, 1)), np.full((n, 1), 0.5)
    h_exp, c_exp = np.zeros((n, 1)), np.zeros((n, 1))
    for r, (zi, zf, zg, zo) in enumerate(patterns):
        i, f, g, o = float(zi > 0), float(zf > 0), (1.0 if zg > 0 else -1.0), float(zo > 0)
        c_exp[r, 0] = f * 0.5 + i * g
        h_exp[r, 0] = o * math.tanh(c_exp[r, 0])
    for r, pattern in enumerate(patterns):
        b = np.array(pattern)
        ctx = f"W = U = 0, c = 0.5, b = {list(map(int, pattern))} (gates i, f, g, o saturated)"
        h_next, c_next = _call(sub, (x[r:r + 1], h[r:r + 1], c[r:r + 1], np.zeros((2, 4)), np.zeros((1, 4)), b), ctx)
        expect_array(c_next, c_exp[r:r + 1], name="c_next", context=ctx, rtol=1e-6, atol=1e-6)
        expect_array(h_next, h_exp[r:r + 1], name="h_next", context=ctx, rtol=1e-6, atol=1e-6)


def check_unit_by_unit_definition(sub, rng):
    n, d, hid = 3, 4, 2
    args = (rng.standard_normal((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)), rng.standard_normal((hid, 4 * hid)), rng.standard_normal(4 * hid))
    ctx = f"N={n}, D={d}, H={hid}, random weights (checked unit by unit)"
    h_next, c_next = _call(sub, args, ctx)
    h_exp, c_exp = _units(*args)
    expect_array(c_next, c_exp, name="c_next", context=ctx)
    expect_array(h_next, h_exp, name="h_next", context=ctx)


def check_recurrent_weights_matter(sub, ref, rng):
    n, d, hid = 2, 3, 5
    args = (np.zeros((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)), rng.standard_normal((hid, 4 * hid)), np.zeros(4 * hid))
    _same(sub, ref, args, "x = 0 and b = 0: everything comes through h @ U")


def check_large_preactivations(sub, ref, rng):
    n, d, hid = 4, 3, 2
    args = (rng.standard_normal((n, d)) * 30, rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)) * 30, rng.standard_normal((hid, 4 * hid)), rng.standard_normal(4 * hid))
    _same(sub, ref, args, "pre-activations of magnitude ~1e3 (a naive sigmoid may overflow)")


@st.composite
def _cases(draw):
    return draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(0, 2**31))


def check_random_shapes(sub, ref, rng):
    def case(c):
        n, d, hid, seed = c
        r = np.random.default_rng(seed)
        args = (r.standard_normal((n, d)), r.standard_normal((n, hid)), r.standard_normal((n, hid)),
                r.standard_normal((d, 4 * hid)) * 0.5, r.standard_normal((hid, 4 * hid)) * 0.5,
                r.standard_normal(4 * hid))
        _same(sub, ref, args, f"N={n}, D={d}, H={hid}")

    for_all(rng, _cases(), case, examples=10)


def check_float32_stays_float32(sub, ref, rng):
    n, d, hid = 3, 4, 5
    args = tuple(a.astype(np.float32) for a in (
        rng.standard_normal((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
        rng.standard_normal((d, 4 * hid)), rng.standard_normal((hid, 4 * hid)), rng.standard_normal(4 * hid)))
    _same(sub, ref, args, "float32 inputs", dtype=np.float32)


def speed_case(rng):
    n, d, hid = 64, 256, 512
    return (rng.standard_normal((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)) * 0.05, rng.standard_normal((hid, 4 * hid)) * 0.05,
            rng.standard_normal(4 * hid)), {}
