"""Hidden checks for gru-cell: a hand example, bias-only probes that tell r, z and n apart, where the reset
gate sits, a unit-by-unit definition, the interpolation property, large pre-activations, shapes, dtypes."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t


def _sig(v):
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


def _units(x, h, W, U, b_w, b_u):
    """The GRU written unit by unit with math: an independent derivation of the same equations."""
    n, hid = h.shape
    d = x.shape[1]
    out = np.zeros((n, hid))
    for s in range(n):
        for j in range(hid):
            xs = [sum(x[s, k] * W[k, g * hid + j] for k in range(d)) + b_w[g * hid + j] for g in range(3)]
            hs = [sum(h[s, k] * U[k, g * hid + j] for k in range(hid)) + b_u[g * hid + j] for g in range(3)]
            r, z = _sig(xs[0] + hs[0]), _sig(xs[1] + hs[1])
            cand = math.tanh(xs[2] + r * hs[2])
            out[s, j] = (1.0 - z) * cand + z * h[s, j]
    return out


def _args(r, n, d, hid, scale=1.0):
    return (r.standard_normal((n, d)), r.standard_normal((n, hid)), r.standard_normal((d, 3 * hid)) * scale,
            r.standard_normal((hid, 3 * hid)) * scale, r.standard_normal(3 * hid), r.standard_normal(3 * hid))


@pytest.mark.zh("题目中的例子")
def test_hand_computed_example(sub):
    x, h = np.array([[1.0]]), np.array([[0.5]])
    W, U = np.array([[1.0, -1.5, 0.5]]), np.array([[2.0, 1.0, -1.0]])
    b_w, b_u = np.array([0.0, 0.5, 0.2]), np.array([-0.5, 0.0, 1.0])
    r, z = _sig(1.5), _sig(-0.5)
    cand = math.tanh(0.7 + r * 0.5)
    expect_array(sub(x, h, W, U, b_w, b_u), np.array([[(1 - z) * cand + z * 0.5]]), name="h_next",
                 context=t("the example of the statement", "题目中的例子") +
                 " (r = sigmoid(1.5), z = sigmoid(-0.5), n = tanh(0.7 + 0.5 r))")


@pytest.mark.zh("只用偏置区分 r、z、n 三个门")
def test_gate_order_probes(sub):
    # W = U = 0, h = 0.5. Unit j takes the j-th sign pattern (sr, sz, sn): b_w = (20 sr, 20 sz, 0.5 sn) and
    # b_u = (0, 0, 1.5), so r and z are 0 or 1 and n = tanh(0.5 sn + 1.5 r). Any other gate order, a reset gate
    # outside the recurrent bias, or swapped z roles changes some unit.
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=3)))  # (8, 3)
    hid = len(signs)
    b_w = np.concatenate([20 * signs[:, 0], 20 * signs[:, 1], 0.5 * signs[:, 2]])
    b_u = np.concatenate([np.zeros(hid), np.zeros(hid), np.full(hid, 1.5)])
    r, z = (signs[:, 0] > 0).astype(float), (signs[:, 1] > 0).astype(float)
    cand = np.tanh(0.5 * signs[:, 2] + 1.5 * r)
    want = (1 - z) * cand + z * 0.5
    ctx = t("W = U = 0, h = 0.5, H = 8; unit j: b_w = (20 sr, 20 sz, 0.5 sn), b_u = (0, 0, 1.5) for the j-th sign "
            "pattern (sr, sz, sn) (unit 0: all +, unit 1: sn = -1, unit 2: sz = -1, unit 4: sr = -1)",
            "W = U = 0，h = 0.5，H = 8；第 j 个单元取第 j 种符号组合 (sr, sz, sn)：b_w = (20 sr, 20 sz, 0.5 sn)，"
            "b_u = (0, 0, 1.5)（单元 0：全为 +，单元 1：sn = -1，单元 2：sz = -1，单元 4：sr = -1）")
    got = sub(np.zeros((1, 3)), np.full((1, hid), 0.5), np.zeros((3, 3 * hid)), np.zeros((hid, 3 * hid)), b_w, b_u)
    expect_array(got, want[None, :], name="h_next", context=ctx, rtol=1e-6, atol=1e-6)


@pytest.mark.zh("重置门也乘上循环侧偏置")
def test_reset_gate_multiplies_the_recurrent_bias(sub, ref, rng):
    n, d, hid = 3, 4, 2
    x, h, W, U, b_w, b_u = _args(rng, n, d, hid)
    b_w[:hid] = -6.0  # r close to 0: the recurrent part of n, b_un included, is almost switched off
    b_u[2 * hid:] = np.array([3.0, -2.5])
    ctx = t("b_wr = -6 (r near 0) and b_un = [3, -2.5]: n = tanh(x W_n + b_wn + r * (h U_n + b_un))",
            "b_wr = -6（r 接近 0），b_un = [3, -2.5]：n = tanh(x W_n + b_wn + r * (h U_n + b_un))")
    expect_array(sub(x, h, W, U, b_w, b_u), ref(x, h, W, U, b_w, b_u), name="h_next", context=ctx)


@pytest.mark.zh("与逐单元的定义一致")
@pytest.mark.parametrize(("n", "d", "hid"), [pytest.param(3, 4, 2, id="N=3-D=4-H=2"),
                                             pytest.param(2, 1, 5, id="N=2-D=1-H=5")])
def test_unit_by_unit_definition(sub, rng, n, d, hid):
    args = _args(rng, n, d, hid)
    expect_array(sub(*args), _units(*args), name="h_next",
                 context=f"N={n}, D={d}, H={hid}, " + t("random weights (checked unit by unit)",
                                                        "随机权重（逐单元核对）"))


@pytest.mark.zh("z = 1 时保留旧状态")
def test_update_gate_one_keeps_the_state(sub, rng):
    n, d, hid = 2, 3, 4
    x, h, W, U, b_w, b_u = _args(rng, n, d, hid, scale=0.3)
    b_w[hid:2 * hid] = 40.0  # z = 1: the state is carried over unchanged
    expect_array(sub(x, h, W, U, b_w, b_u), h, name="h_next", rtol=1e-9, atol=1e-9,
                 context=t("b_wz = 40 (z = 1): h_next must equal h", "b_wz = 40（z = 1）：h_next 必须等于 h"))


@pytest.mark.zh("z = 0 时换成候选状态")
def test_update_gate_zero_takes_the_candidate(sub, rng):
    n, d, hid = 2, 3, 4
    x, h, W, U, b_w, b_u = _args(rng, n, d, hid, scale=0.3)
    h = h * 3.0  # |h| mostly above 1: keeping it would leave (-1, 1)
    b_w[hid:2 * hid] = -40.0  # z = 0: the state is replaced by the candidate n, which lies in (-1, 1)
    got = expect_array(sub(x, h, W, U, b_w, b_u), np.zeros((n, hid)), name="h_next", rtol=0.0, atol=1e300,
                       context="b_wz = -40 (z = 0)")
    if np.any(np.abs(got) >= 1.0):
        raise CheckFailed(t("b_wz = -40 (z = 0): h_next should be the candidate n = tanh(...), inside (-1, 1); "
                            f"got {got.tolist()}",
                            "b_wz = -40（z = 0）：h_next 应为候选状态 n = tanh(...)，在 (-1, 1) 之内；"
                            f"实际为 {got.tolist()}"))


@pytest.mark.zh("很大的预激活")
def test_large_preactivations(sub, ref, rng):
    n, d, hid = 4, 3, 2
    args = _args(rng, n, d, hid)
    args = (args[0] * 30, args[1], args[2] * 30, *args[3:])
    expect_array(sub(*args), ref(*args), name="h_next",
                 context=t("pre-activations of magnitude ~1e3 (a naive sigmoid may overflow)",
                           "预激活绝对值约 1e3（朴素的 sigmoid 可能溢出）"))


@pytest.mark.zh("sigmoid 在 ±800 处")
def test_sigmoid_at_extreme_inputs(sub):
    zs = np.array([-800.0, -50.0, 50.0, 800.0, 2.0])
    b_w = np.tile(zs, 3)
    sig = np.array([_sig(v) for v in zs])
    want = (1 - sig) * np.tanh(zs) + sig * 0.25
    expect_array(sub(np.zeros((1, 2)), np.full((1, 5), 0.25), np.zeros((2, 15)), np.zeros((5, 15)), b_w,
                     np.zeros(15)), want[None, :], name="h_next",
                 context=t("W = U = 0, b_u = 0, h = 0.25, unit j's three input biases all equal "
                           "[-800, -50, 50, 800, 2][j]",
                           "W = U = 0，b_u = 0，h = 0.25，第 j 个单元的三个输入偏置都等于 [-800, -50, 50, 800, 2][j]"))


@pytest.mark.zh("随机形状")
@settings(max_examples=6)
@given(n=st.integers(1, 5), d=st.integers(1, 6), hid=st.integers(1, 6), seed=st.integers(0, 2**31))
def test_random_shapes(sub, ref, n, d, hid, seed):
    args = _args(np.random.default_rng(seed), n, d, hid, scale=0.5)
    expect_array(sub(*args), ref(*args), name="h_next", context=f"N={n}, D={d}, H={hid}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _args(rng, 3, 4, 5))
    expect_array(sub(*args), ref(*args), name="h_next", dtype=np.float32,
                 context=t("float32 inputs", "float32 输入") + ", N=3, D=4, H=5")


def speed_case(rng):
    n, d, hid = 64, 256, 512
    x, h, W, U, b_w, b_u = _args(rng, n, d, hid, scale=0.05)
    return (x, h, W, U, b_w, b_u), {}
