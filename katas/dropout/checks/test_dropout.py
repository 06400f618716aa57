"""Hidden checks for inverted dropout: hand values, which probability p is, evaluation mode, expectation over
many masks, the backward pass by finite differences, dtypes, p = 0."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_grad, t


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    x, mask = np.array([1.0, 2.0, 3.0, 4.0]), np.array([True, False, True, True])
    expect_array(sub(x, mask, 0.25), np.array([4 / 3, 0.0, 4.0, 16 / 3]),
                 context=t("x [1, 2, 3, 4], keep_mask [T, F, T, T], p = 0.25 (drop probability), training",
                           "x [1, 2, 3, 4]，keep_mask [T, F, T, T]，p = 0.25（丢弃概率），训练模式"))
    expect_array(sub(x, mask, 0.25, train=False), x,
                 context=t("the same at evaluation (train=False): x unchanged",
                           "同样的输入在评估时（train=False）：x 不变"))
    expect_array(sub.fn("dropout_backward")(np.ones(4), mask, 0.25), np.array([4 / 3, 0.0, 4 / 3, 4 / 3]),
                 name="dx", context="dropout_backward(ones, keep_mask [T, F, T, T], p = 0.25)")


@pytest.mark.zh("p 是丢弃概率")
def test_p_is_the_drop_probability(sub, rng):
    x = rng.standard_normal((5, 6))
    mask = rng.random((5, 6)) >= 0.8
    expect_array(sub(x, mask, 0.8), np.where(mask, x / 0.2, 0.0),
                 context=t("p = 0.8: 80% dropped, kept units scaled by 1 / (1 - 0.8) = 5",
                           "p = 0.8：丢弃 80%，保留的单元乘以 1 / (1 - 0.8) = 5"))


@pytest.mark.zh("期望保持不变")
def test_expectation_is_preserved(sub, rng):
    x = rng.standard_normal(8)
    p, trials = 0.3, 4000
    masks = rng.random((trials, 8)) >= p
    outs = expect_array(sub(np.broadcast_to(x, (trials, 8)).copy(), masks, p), np.zeros((trials, 8)),
                        rtol=0.0, atol=1e300, context="p = 0.3, x (4000, 8)")
    mean = outs.mean(axis=0)
    se = np.abs(x) * np.sqrt(p / (1 - p) / trials)
    if np.any(np.abs(mean - x) > 6 * se + 1e-12):
        i = int(np.argmax(np.abs(mean - x) / (se + 1e-12)))
        raise CheckFailed(t(f"p = 0.3 over 4000 random masks: the mean output of unit {i} is {mean[i]:.4f}, but "
                            f"inverted dropout keeps the expectation equal to x = {x[i]:.4f}",
                            f"p = 0.3，4000 个随机掩码：第 {i} 个单元的平均输出为 {mean[i]:.4f}，但反向缩放的 "
                            f"dropout 应让期望等于 x = {x[i]:.4f}"))


@pytest.mark.zh("评估模式")
def test_evaluation_mode(sub, rng):
    x = rng.standard_normal((3, 4))
    mask = rng.random((3, 4)) >= 0.5
    expect_array(sub(x, mask, 0.5, train=False), x,
                 context=t("train=False with p = 0.5: no dropping, no scaling", "train=False，p = 0.5：不丢弃，不缩放"))


@pytest.mark.zh("p = 0")
def test_p_zero(sub, rng):
    x = rng.standard_normal((2, 5))
    expect_array(sub(x, np.ones((2, 5), dtype=bool), 0.0), x,
                 context=t("p = 0 with an all-True mask: identity", "p = 0，掩码全为 True：恒等映射"))


@pytest.mark.zh("反向与有限差分一致")
def test_backward_finite_differences(sub, rng):
    x, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    mask = rng.random((4, 5)) >= 0.4
    dx = sub.fn("dropout_backward")(dout, mask, 0.4)
    expect_grad(dx, lambda v: np.where(mask, v / 0.6, 0.0), x, dout, name="dx", rng=rng, samples=20,
                context="p = 0.4, x (4, 5)")


@pytest.mark.zh("float32 输入得到 float32 输出")
@pytest.mark.parametrize("train", [pytest.param(True, id="train"), pytest.param(False, id="eval")])
def test_float32_stays_float32(sub, rng, train):
    x = rng.standard_normal((4, 4)).astype(np.float32)
    mask = rng.random((4, 4)) >= 0.5
    expected = np.where(mask, x / np.float32(0.5), 0).astype(np.float32) if train else x
    expect_array(sub(x, mask, 0.5, train=train), expected,
                 context=t("float32 x", "float32 的 x") + f", p = 0.5, train={train}", dtype=np.float32)


@pytest.mark.zh("反向：float32 输入得到 float32 梯度")
def test_backward_float32_stays_float32(sub, rng):
    dout = rng.standard_normal((3, 5)).astype(np.float32)
    mask = rng.random((3, 5)) >= 0.3
    expect_array(sub.fn("dropout_backward")(dout, mask, 0.3),
                 np.where(mask, dout / np.float32(0.7), 0).astype(np.float32), name="dx",
                 context="dropout_backward, " + t("float32 dout", "float32 的 dout") + ", p = 0.3", dtype=np.float32)


@st.composite
def dropout_cases(draw):
    return (tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))),
            draw(st.sampled_from([0.0, 0.1, 0.5, 0.9])), draw(st.booleans()), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状")
@settings(max_examples=10)
@given(c=dropout_cases())
def test_random_shapes(sub, ref, c):
    shape, p, train, seed = c
    r = np.random.default_rng(seed)
    x, dout, mask = r.standard_normal(shape), r.standard_normal(shape), r.random(shape) >= p
    ctx = f"x {shape}, p = {p}, train={train}"
    expect_array(sub(x, mask, p, train=train), ref(x, mask, p, train=train), context=ctx)
    expect_array(sub.fn("dropout_backward")(dout, mask, p), ref.fn("dropout_backward")(dout, mask, p),
                 name="dx", context=ctx)


def speed_case(rng):
    x = rng.standard_normal((1000, 1000))
    return (x, rng.random((1000, 1000)) >= 0.1, 0.1), {}
