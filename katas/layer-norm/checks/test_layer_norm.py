"""Hidden checks for layer norm: hand values, statistics of the output, last-axis (not batch) normalisation,
biased variance, eps placement, finite differences for all three gradients, 3-D inputs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, t

NAMES = ("dx", "dgamma", "dbeta")


def _forward(x, gamma, beta, eps=1e-5):
    """Row by row, from the definition."""
    flat = x.reshape(-1, x.shape[-1])
    out = np.empty_like(flat)
    for i, row in enumerate(flat):
        mu = sum(row) / len(row)
        var = sum((v - mu) ** 2 for v in row) / len(row)
        out[i] = gamma * (row - mu) / np.sqrt(var + eps) + beta
    return out.reshape(x.shape)


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    x = np.array([[1.0, 2.0, 3.0, 6.0], [0.0, 0.0, 1.0, -1.0]])
    gamma, beta = np.array([1.0, 2.0, 0.5, 1.0]), np.array([0.0, 0.1, 0.0, -0.1])
    expect_array(sub(x, gamma, beta), _forward(x, gamma, beta),
                 context=t("the example of the statement", "题目中的例子"))


@pytest.mark.zh("输出的统计量")
def test_output_statistics(sub, rng):
    x = rng.standard_normal((6, 32)) * 5 + 3
    ctx = "gamma = 1, beta = 0"
    out = expect_array(sub(x, np.ones(32), np.zeros(32)), _forward(x, np.ones(32), np.zeros(32)),
                       context=ctx + t(", x (6, 32) with mean 3 and std 5", "，x (6, 32)，均值 3、标准差 5"))
    expect_array(out.mean(axis=-1), np.zeros(6), name=t("mean of each row", "每行的均值"), context=ctx, atol=1e-12)
    expect_array(out.var(axis=-1), x.var(axis=-1) / (x.var(axis=-1) + 1e-5),
                 name=t("variance of each row", "每行的方差"),
                 context=ctx + t(" (biased variance, eps inside)", "（有偏方差，eps 在开方之内）"))


@pytest.mark.zh("在最后一维而不是批维上归一化")
def test_normalises_the_last_axis_not_the_batch(sub, rng):
    x = rng.standard_normal((3, 5)) * np.array([[1.0], [100.0], [0.01]])
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    expect_array(sub(x, gamma, beta), _forward(x, gamma, beta),
                 context=t("rows at scales 1, 100 and 0.01: each row normalised by its own statistics",
                           "各行量级为 1、100 和 0.01：每行用自己的统计量归一化"))


@pytest.mark.zh("三维输入")
def test_three_dimensional_input(sub, rng):
    x = rng.standard_normal((2, 3, 7))
    gamma, beta = rng.standard_normal(7), rng.standard_normal(7)
    expect_array(sub(x, gamma, beta), _forward(x, gamma, beta), context="x (B=2, L=3, D=7)")


@pytest.mark.zh("常数行上 eps 起作用")
@pytest.mark.parametrize("eps", [pytest.param(1e-5, id="eps=1e-5"), pytest.param(1e-2, id="eps=1e-2")])
def test_eps_matters_for_constant_rows(sub, eps):
    x = np.full((2, 4), 3.0)
    x[1] += np.array([0.0, 1e-3, 0.0, -1e-3])
    gamma, beta = np.ones(4), np.zeros(4)
    expect_array(sub(x, gamma, beta, eps=eps), _forward(x, gamma, beta, eps),
                 context=t("a constant row and a row with variance 5e-7", "一行常数和一行方差为 5e-7 的数")
                 + f", eps={eps}" + t(" (inside the square root)", "（在开方之内）"))


@pytest.mark.zh("反向与有限差分一致")
@pytest.mark.parametrize(("shape", "scale", "eps"), [
    pytest.param((4, 6), 1.0, 1e-5, id="x(4,6)"),
    pytest.param((2, 3, 5), 1.0, 1e-5, id="x(2,3,5)"),
    pytest.param((3, 2, 6), 0.2, 0.05, id="x(3,2,6)-eps=0.05"),
])
def test_finite_differences(sub, rng, shape, scale, eps):
    x = rng.standard_normal(shape) * scale
    gamma, beta = rng.standard_normal(shape[-1]), rng.standard_normal(shape[-1])
    dout = rng.standard_normal(shape)
    ctx = f"x {shape}, eps={eps}"
    grads = expect_tuple(sub.fn("layernorm_backward")(dout, x, gamma, eps=eps), NAMES, context=ctx)
    lead = t(" (summed over the leading axes)", "（在前置维度上求和）")
    expect_grad(grads[0], lambda v: _forward(v, gamma, beta, eps), x, dout, name="dx", rng=rng, context=ctx)
    expect_grad(grads[1], lambda v: _forward(x, v, beta, eps), gamma, dout, name="dgamma", rng=rng,
                context=ctx + lead)
    expect_grad(grads[2], lambda v: _forward(x, gamma, v, eps), beta, dout, name="dbeta", rng=rng,
                context=ctx + lead)


@st.composite
def layer_cases(draw):
    lead = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=2)))
    return lead, draw(st.integers(2, 12)), draw(st.sampled_from([0.01, 1.0, 100.0])), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状")
@settings(max_examples=10)
@given(c=layer_cases())
def test_random_shapes(sub, ref, c):
    lead, d, scale, seed = c
    r = np.random.default_rng(seed)
    x = r.standard_normal((*lead, d)) * scale
    gamma, beta, dout = r.standard_normal(d), r.standard_normal(d), r.standard_normal((*lead, d))
    ctx = f"x {(*lead, d)}, scale {scale:g}"
    expect_array(sub(x, gamma, beta), ref(x, gamma, beta), context=ctx)
    got = expect_tuple(sub.fn("layernorm_backward")(dout, x, gamma), NAMES, context=ctx)
    for name, a, e in zip(NAMES, got, ref.fn("layernorm_backward")(dout, x, gamma)):
        expect_array(a, e, name=name, context=ctx, rtol=1e-6, atol=1e-9)


def speed_case(rng):
    return (rng.standard_normal((16, 128, 768)), rng.standard_normal(768), rng.standard_normal(768)), {}
