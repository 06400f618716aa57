"""Hidden checks for softmax cross-entropy: hand values, gaps of 800+, uniform logits = ln C, the two-class
identity with BCE, finite differences, shift invariance, random batches."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t


def _call(sub, logits, y, context):
    return expect_tuple(sub(logits, y), ("loss", "dlogits"), context=context)


def _loss(logits, y):
    """From the definition, row by row with math (for moderate logits)."""
    total = 0.0
    for row, label in zip(logits, y):
        total -= float(row[label]) - math.log(sum(math.exp(float(v)) for v in row))
    return total / len(y)


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    logits, y = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]), np.array([0, 2])
    ctx = "logits [[2, 1, 0.1], [0.5, 2.5, -1]], y = [0, 2]"
    loss, d = _call(sub, logits, y, ctx)
    expect_number(loss, _loss(logits, y), name="loss", context=ctx)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p[[0, 1], [0, 2]] -= 1
    expect_array(d, p / 2, name="dlogits", context=ctx)
    # the digits printed in the statement (rounded to 8 decimals)
    expect_number(loss, 2.03510411, name="loss", context=ctx, rtol=0.0, atol=5e-9)
    expect_array(d, np.array([[-0.17049943, 0.12121649, 0.04928295], [0.05805727, 0.42898841, -0.48704567]]),
                 name="dlogits", context=ctx, rtol=0.0, atol=5e-9)


@pytest.mark.zh("相差 800 以上的 logits")
def test_huge_gaps(sub):
    logits = np.array([[1000.0, 0.0], [0.0, 1000.0], [-500.0, 400.0]])
    y = np.array([1, 1, 0])
    ctx = "logits [[1000, 0], [0, 1000], [-500, 400]], y = [1, 1, 0]: " + t("gaps of 900-1000", "相差 900-1000")
    loss, d = _call(sub, logits, y, ctx)
    expect_number(loss, (1000.0 + 0.0 + 900.0) / 3, name="loss", context=ctx, rtol=1e-12)
    expect_array(d, np.array([[1.0, -1.0], [0.0, 0.0], [-1.0, 1.0]]) / 3, name="dlogits", context=ctx, atol=1e-15)


@pytest.mark.zh("各行量级相差很大")
def test_rows_at_different_scales(sub, rng):
    logits = np.stack([rng.standard_normal(4), rng.standard_normal(4) - 3000.0, rng.standard_normal(4) + 2000.0])
    y = np.array([1, 2, 0])
    ctx = t("three rows centred at 0, -3000 and +2000 (a batch-wide max underflows the lower rows)",
            "三行分别以 0、-3000 和 +2000 为中心（减去整批的最大值会让较低的行下溢）")
    loss, _ = _call(sub, logits, y, ctx)
    centred = logits - logits.mean(axis=1, keepdims=True)
    expect_number(loss, _loss(centred, y), name="loss", context=ctx)


@pytest.mark.zh("相等的 logits 给出 ln C")
@pytest.mark.parametrize("c", [2, 10, 1000], ids=lambda c: f"C={c}")
def test_uniform_logits_give_log_c(sub, rng, c):
    logits = np.full((4, c), float(rng.standard_normal()) * 50)
    y = rng.integers(0, c, size=4)
    expect_number(_call(sub, logits, y, f"C={c}")[0], math.log(c), name="loss",
                  context=t(f"equal logits over C={c} classes: loss ln C",
                            f"C={c} 个类别的 logits 全相等：损失为 ln C"))


@pytest.mark.zh("两类时与 BCE 一致")
def test_two_classes_match_bce(sub, rng):
    z = rng.standard_normal(6) * 3
    y = rng.integers(0, 2, size=6)
    logits = np.stack([np.zeros(6), z], axis=1)
    bce = float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    expect_number(_call(sub, logits, y, "C=2")[0], bce, name="loss",
                  context=t("two classes with logits [0, z]: the same as binary cross-entropy on z",
                            "两个类别，logits 为 [0, z]：与对 z 的二元交叉熵相同"))


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize(("n", "c"), [pytest.param(4, 5, id="N=4-C=5"), pytest.param(7, 3, id="N=7-C=3")])
def test_finite_differences(sub, rng, n, c):
    logits, y = rng.standard_normal((n, c)) * 2, rng.integers(0, c, size=n)
    ctx = f"N={n}, C={c}"
    _, d = _call(sub, logits, y, ctx)
    expect_grad(d, lambda v: np.array(_loss(v, y)), logits, 1.0, name="dlogits", rng=rng, context=ctx)


@pytest.mark.zh("平移不变性")
def test_shift_invariance(sub, rng):
    logits, y = rng.standard_normal((5, 4)), rng.integers(0, 4, size=5)
    shifted = logits + rng.uniform(-700, 700, size=(5, 1))
    loss, d = _call(sub, logits, y, "N=5, C=4")
    loss2, d2 = _call(sub, shifted, y, t("the same rows shifted by up to +-700", "同样的行平移至多 +-700"))
    ctx = t("adding a constant to a row changes nothing", "给一行加上常数不改变结果")
    expect_number(loss2, loss, name="loss", context=ctx, rtol=1e-9)
    expect_array(d2, d, name="dlogits", context=ctx, rtol=1e-7, atol=1e-12)


@st.composite
def batches(draw):
    return draw(st.integers(1, 12)), draw(st.integers(2, 30)), draw(st.sampled_from([1.0, 10.0, 300.0])), draw(
        st.integers(0, 2**31))


@pytest.mark.zh("随机批次")
@settings(max_examples=12)
@given(c=batches())
def test_random_batches(sub, ref, c):
    n, classes, scale, seed = c
    r = np.random.default_rng(seed)
    logits, y = r.standard_normal((n, classes)) * scale, r.integers(0, classes, size=n)
    ctx = f"N={n}, C={classes}, " + t(f"logits at scale {scale:g}", f"logits 量级 {scale:g}")
    loss, d = _call(sub, logits, y, ctx)
    loss_ref, d_ref = ref(logits, y)
    expect_number(loss, loss_ref, name="loss", context=ctx)
    expect_array(d, d_ref, name="dlogits", context=ctx, atol=1e-15)


def speed_case(rng):
    return (rng.standard_normal((512, 32000)) * 3, rng.integers(0, 32000, size=512)), {}
