"""Hidden checks for ReLU: hand values, the gradient at 0, finite differences away from the kink, dtypes,
shapes, and the 'multiply by the activation' bug."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, t


def _away_from_zero(rng, shape, gap=1e-3):
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < gap, np.sign(x + 1e-300) * gap * 2, x)


@pytest.mark.zh("手算示例")
def test_hand_computed_example(sub):
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    expect_array(sub(x), np.array([0.0, 0.0, 0.5, 3.0]), context="relu_forward([-2, 0, 0.5, 3])")
    expect_array(sub.fn("relu_backward")(np.array([1.0, 1.0, 2.0, -1.0]), x), np.array([0.0, 0.0, 2.0, -1.0]),
                 name="dx", context="relu_backward(dout=[1, 1, 2, -1], x=[-2, 0, 0.5, 3])")


@pytest.mark.zh("在 0 处梯度为 0")
def test_gradient_at_zero_is_zero(sub, rng):
    x = np.zeros((3, 4))
    x[0, :2] = [-1.5, 2.5]  # a few nonzero entries around the exact zeros
    dout = rng.standard_normal((3, 4))
    expect_array(sub.fn("relu_backward")(dout, x), np.where(x > 0, dout, 0.0), name="dx",
                 context=t("x exactly 0 almost everywhere: the gradient there is 0 by convention",
                           "x 几乎处处恰好为 0：按约定该处梯度为 0"))


@pytest.mark.zh("有限差分")
@pytest.mark.parametrize("shape", [pytest.param((4, 5), id="shape=4x5"), pytest.param((2, 3, 6), id="shape=2x3x6")])
def test_finite_differences(sub, rng, shape):
    x = _away_from_zero(rng, shape)
    dout = rng.standard_normal(shape)
    dx = sub.fn("relu_backward")(dout, x)
    expect_grad(dx, lambda v: np.maximum(v, 0), x, dout, name="dx", rng=rng, tol=1e-5,
                context=f"x {shape}, " + t("every |x| >= 1e-3", "所有 |x| >= 1e-3"))


@pytest.mark.zh("梯度是掩码而不是激活值")
def test_mask_not_activation(sub, rng):
    x = rng.uniform(0.1, 5.0, size=(3, 3)) * rng.choice([-1.0, 1.0], size=(3, 3))
    dout = np.ones((3, 3))
    expect_array(sub.fn("relu_backward")(dout, x), (x > 0).astype(float), name="dx",
                 context=t("dout all ones: dx is the 0/1 mask of x > 0, not relu(x)",
                           "dout 全为 1：dx 是 x > 0 的 0/1 掩码，而不是 relu(x)"))


@pytest.mark.zh("前向：float32 输入得到 float32 输出")
def test_float32_forward_stays_float32(sub, rng):
    x = _away_from_zero(rng, (5, 4)).astype(np.float32)
    expect_array(sub(x), np.maximum(x, 0), context=t("float32 x", "float32 的 x"), dtype=np.float32)


@pytest.mark.zh("反向：float32 输入得到 float32 梯度")
def test_float32_backward_stays_float32(sub, rng):
    x = _away_from_zero(rng, (5, 4)).astype(np.float32)
    dout = rng.standard_normal((5, 4)).astype(np.float32)
    expect_array(sub.fn("relu_backward")(dout, x), np.where(x > 0, dout, 0).astype(np.float32), name="dx",
                 context=t("float32 dout and x", "float32 的 dout 与 x"), dtype=np.float32)


@st.composite
def cases(draw):
    return tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4))), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状")
@settings(max_examples=10)
@given(c=cases())
def test_random_shapes(sub, ref, c):
    shape, seed = c
    r = np.random.default_rng(seed)
    x = r.standard_normal(shape) * 10.0 ** r.integers(-3, 3)
    dout = r.standard_normal(shape)
    ctx = t(f"x of shape {shape}", f"x 的形状为 {shape}")
    expect_array(sub(x), ref(x), context=ctx)
    expect_array(sub.fn("relu_backward")(dout, x), ref.fn("relu_backward")(dout, x), name="dx", context=ctx)


def speed_case(rng):
    return (rng.standard_normal((2000, 2000)),), {}
