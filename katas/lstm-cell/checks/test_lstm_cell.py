"""Hidden checks for lstm-cell: a hand example, bias-only probes that tell gate orders apart, a unit-by-unit
definition, recurrent weights, large pre-activations, random shapes, dtypes."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_tuple, t


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
            pre = [sum(x[r, k] * W[k, gate * hid + j] for k in range(x.shape[1]))
                   + sum(h[r, k] * U[k, gate * hid + j] for k in range(hid)) + b[gate * hid + j] for gate in range(4)]
            i, f, g, o = _sig(pre[0]), _sig(pre[1]), math.tanh(pre[2]), _sig(pre[3])
            c_next[r, j] = f * c[r, j] + i * g
            h_next[r, j] = o * math.tanh(c_next[r, j])
    return h_next, c_next


@pytest.mark.zh("题目中的例子")
def test_hand_computed_example(sub):
    args = (np.array([[1.0]]), np.array([[0.0]]), np.array([[0.5]]), np.array([[0.5, 0.5, 1.0, -1.0]]),
            np.zeros((1, 4)), np.array([1.0, -1.0, 0.5, 2.0]))
    ctx = t("the example of the statement", "题目中的例子") + " (z = [1.5, -0.5, 1.5, 1.0])"
    h_next, c_next = _call(sub, args, ctx)
    c_exp = _sig(-0.5) * 0.5 + _sig(1.5) * math.tanh(1.5)
    expect_array(c_next, np.array([[c_exp]]), name="c_next", context=ctx)
    expect_array(h_next, np.array([[_sig(1.0) * math.tanh(c_exp)]]), name="h_next", context=ctx)


@pytest.mark.zh("只用偏置区分各门的顺序")
def test_gate_order_probes(sub):
    # W = U = 0, c = 0.5: unit j's gates get the biases of the j-th of the 16 sign patterns (+-20 for i, f,
    # g, o), so i, f, o are 0 or 1 and g is +-1; every other gate order or gate function disagrees somewhere.
    patterns = np.array(list(itertools.product((20.0, -20.0), repeat=4)))  # (16, 4): row j = unit j's (i, f, g, o)
    hid = len(patterns)
    b = patterns.T.reshape(-1)  # block k of b holds gate k's bias for the 16 units
    on = (patterns > 0).astype(float)
    i, f, g, o = on[:, 0], on[:, 1], 2.0 * on[:, 2] - 1.0, on[:, 3]
    c_exp = f * 0.5 + i * g
    h_exp = o * np.tanh(c_exp)
    args = (np.zeros((1, 2)), np.zeros((1, hid)), np.full((1, hid), 0.5), np.zeros((2, 4 * hid)),
            np.zeros((hid, 4 * hid)), b)
    ctx = t("W = U = 0, c = 0.5, H = 16, unit j's biases (i, f, g, o) = the j-th sign pattern of +-20 "
            "(unit 0: all +20, unit 1: o = -20, unit 2: g = -20, unit 4: f = -20, unit 8: i = -20)",
            "W = U = 0，c = 0.5，H = 16，第 j 个单元的偏置 (i, f, g, o) 取 ±20 的第 j 种符号组合"
            "（单元 0：全为 +20，单元 1：o = -20，单元 2：g = -20，单元 4：f = -20，单元 8：i = -20）")
    h_next, c_next = _call(sub, args, ctx)
    expect_array(c_next, c_exp[None, :], name="c_next", context=ctx, rtol=1e-6, atol=1e-6)
    expect_array(h_next, h_exp[None, :], name="h_next", context=ctx, rtol=1e-6, atol=1e-6)


@pytest.mark.zh("与逐单元的定义一致")
def test_unit_by_unit_definition(sub, rng):
    n, d, hid = 3, 4, 2
    args = (rng.standard_normal((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)), rng.standard_normal((hid, 4 * hid)), rng.standard_normal(4 * hid))
    ctx = f"N={n}, D={d}, H={hid}, " + t("random weights (checked unit by unit)", "随机权重（逐单元核对）")
    h_next, c_next = _call(sub, args, ctx)
    h_exp, c_exp = _units(*args)
    expect_array(c_next, c_exp, name="c_next", context=ctx)
    expect_array(h_next, h_exp, name="h_next", context=ctx)


@pytest.mark.zh("循环权重起作用")
def test_recurrent_weights_matter(sub, ref, rng):
    n, d, hid = 2, 3, 5
    args = (np.zeros((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)), rng.standard_normal((hid, 4 * hid)), np.zeros(4 * hid))
    _same(sub, ref, args, t("x = 0 and b = 0: everything comes through h @ U", "x = 0 且 b = 0：一切都来自 h @ U"))


@pytest.mark.zh("很大的预激活")
def test_large_preactivations(sub, ref, rng):
    n, d, hid = 4, 3, 2
    args = (rng.standard_normal((n, d)) * 30, rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)) * 30, rng.standard_normal((hid, 4 * hid)), rng.standard_normal(4 * hid))
    _same(sub, ref, args, t("pre-activations of magnitude ~1e3 (a naive sigmoid may overflow)",
                            "预激活绝对值约 1e3（朴素的 sigmoid 可能溢出）"))


@pytest.mark.zh("sigmoid 在 ±800 处")
def test_sigmoid_at_extreme_inputs(sub):
    # bias-only: every gate of unit j sees the same pre-activation zs[j], from -800 to +800
    zs = np.array([-800.0, -50.0, 50.0, 800.0, 3.0])
    b = np.tile(zs, 4)
    sig = np.array([_sig(z) for z in zs])
    c_exp = sig * 0.25 + sig * np.tanh(zs)
    ctx = t("W = U = 0, c = 0.25, unit j's four pre-activations all equal [-800, -50, 50, 800, 3][j]",
            "W = U = 0，c = 0.25，第 j 个单元的四个预激活都等于 [-800, -50, 50, 800, 3][j]")
    h_next, c_next = _call(sub, (np.zeros((1, 3)), np.zeros((1, 5)), np.full((1, 5), 0.25), np.zeros((3, 20)),
                                 np.zeros((5, 20)), b), ctx)
    expect_array(c_next, c_exp[None, :], name="c_next", context=ctx)
    expect_array(h_next, (sig * np.tanh(c_exp))[None, :], name="h_next", context=ctx)


@pytest.mark.zh("随机形状")
@settings(max_examples=7)
@given(n=st.integers(1, 5), d=st.integers(1, 6), hid=st.integers(1, 6), seed=st.integers(0, 2**31))
def test_random_shapes(sub, ref, n, d, hid, seed):
    r = np.random.default_rng(seed)
    args = (r.standard_normal((n, d)), r.standard_normal((n, hid)), r.standard_normal((n, hid)),
            r.standard_normal((d, 4 * hid)) * 0.5, r.standard_normal((hid, 4 * hid)) * 0.5,
            r.standard_normal(4 * hid))
    _same(sub, ref, args, f"N={n}, D={d}, H={hid}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    n, d, hid = 3, 4, 5
    args = tuple(a.astype(np.float32) for a in (
        rng.standard_normal((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
        rng.standard_normal((d, 4 * hid)), rng.standard_normal((hid, 4 * hid)), rng.standard_normal(4 * hid)))
    _same(sub, ref, args, t("float32 inputs", "float32 输入") + f", N={n}, D={d}, H={hid}", dtype=np.float32)


def speed_case(rng):
    n, d, hid = 64, 256, 512
    return (rng.standard_normal((n, d)), rng.standard_normal((n, hid)), rng.standard_normal((n, hid)),
            rng.standard_normal((d, 4 * hid)) * 0.05, rng.standard_normal((hid, 4 * hid)) * 0.05,
            rng.standard_normal(4 * hid)), {}
