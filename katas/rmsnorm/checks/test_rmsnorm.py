"""Hidden checks for RMSNorm: the worked example, the definition by loops, no centring and the last axis,
eps inside the square root and its default, zero rows, 3-D inputs, float32, finite differences for dx and dweight."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, t

NAMES = ("dx", "dweight")


def _forward(x, weight, eps):
    """Row by row, from the definition."""
    flat = x.reshape(-1, x.shape[-1])
    out = np.empty_like(flat)
    for i, row in enumerate(flat):
        ms = sum(float(v) * float(v) for v in row) / len(row)
        out[i] = row / np.sqrt(ms + eps) * weight
    return out.reshape(x.shape)


def _backward(sub, dout, x, weight, eps, ctx):
    got = expect_tuple(sub.fn("rmsnorm_backward")(dout, x, weight, eps=eps), NAMES, context=ctx)
    for name, value, like in zip(NAMES, got, (x, weight)):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300)  # type, dtype, shape only
    return got


@pytest.mark.zh("题目中的例子")
def test_worked_example(sub):
    x = np.array([[1.0, 2.0, 3.0, 4.0], [3.0, 0.0, -4.0, 0.0]])
    weight = np.array([1.0, 1.0, 2.0, 0.5])
    r = np.sqrt(7.5)
    expected = np.array([[1 / r, 2 / r, 6 / r, 2 / r], [1.2, 0.0, -3.2, 0.0]])
    expect_array(sub(x, weight, eps=0.0), expected, context=t("the example of the statement, eps=0",
                                                             "题目中的例子，eps=0"))
    expect_array(sub(x[1:], weight), _forward(x[1:], weight, 1e-6),
                 context=t("x = [[3, 0, -4, 0]] with the default eps = 1e-6", "x = [[3, 0, -4, 0]]，eps 取默认值 1e-6"))


@pytest.mark.zh("eps 的默认值 1e-6，前向与反向")
def test_default_eps(sub, ref):
    x = np.array([[1.0, -2.0, 0.5, 1.5, -1.0], [0.2, 0.0, -0.4, 0.1, 0.3]]) * 1e-3
    weight = np.array([1.0, -0.5, 2.0, 0.25, 1.5])
    dout = np.array([[0.5, -1.0, 2.0, 1.0, -0.5], [1.0, 0.5, -1.5, 2.0, 0.25]])
    ctx = t("x (2, 5) of size 1e-3 (mean square ~1e-6, so eps matters), eps not passed: the default 1e-6",
            "x (2, 5)，数值约 1e-3（均方约 1e-6，eps 的影响不可忽略），不传 eps：默认值 1e-6")
    expect_array(sub(x, weight), _forward(x, weight, 1e-6), context=ctx)
    got = expect_tuple(sub.fn("rmsnorm_backward")(dout, x, weight), NAMES, context="rmsnorm_backward, " + ctx)
    for name, a, e in zip(NAMES, got, ref.fn("rmsnorm_backward")(dout, x, weight, eps=1e-6)):
        expect_array(a, e, name=name, context="rmsnorm_backward, " + ctx, atol=1e-9 * float(np.max(np.abs(e))))


@pytest.mark.zh("与逐行循环的定义一致")
@pytest.mark.parametrize(("shape", "scale", "offset", "eps"), [
    pytest.param((4, 6), 1.0, 0.0, 1e-6, id="x(4,6)"),
    pytest.param((2, 3, 5), 3.0, 2.0, 1e-6, id="x(2,3,5)-offset=2"),
    pytest.param((3, 7), 0.5, -1.0, 1e-3, id="x(3,7)-offset=-1-eps=1e-3"),
])
def test_matches_the_definition(sub, rng, shape, scale, offset, eps):
    x = rng.standard_normal(shape) * scale + offset
    weight = rng.uniform(0.5, 2.0, shape[-1]) * rng.choice([-1.0, 1.0], shape[-1])
    expect_array(sub(x, weight, eps=eps), _forward(x, weight, eps),
                 context=f"x {shape}, " + t(f"mean {offset} (RMSNorm does not subtract it)",
                                            f"均值 {offset}（RMSNorm 不减均值）") + f", eps={eps}")


@pytest.mark.zh("在最后一维上归一化，各行独立")
def test_each_row_on_its_own(sub, rng):
    x = rng.standard_normal((3, 5)) * np.array([[1.0], [100.0], [0.01]])
    weight = rng.standard_normal(5)
    expect_array(sub(x, weight, eps=1e-8), _forward(x, weight, 1e-8),
                 context=t("x (3, 5), rows at scales 1, 100 and 0.01: each row by its own rms, eps=1e-8",
                           "x (3, 5)，各行量级为 1、100 和 0.01：每行用自己的 rms，eps=1e-8"))


@pytest.mark.zh("eps 在开方之内；全零行")
@pytest.mark.parametrize("eps", [pytest.param(0.1, id="eps=0.1"), pytest.param(1e-4, id="eps=1e-4")])
def test_eps_inside_the_square_root(sub, rng, eps):
    x = rng.standard_normal((3, 4)) * 0.05
    x[1] = 0.0
    weight = rng.uniform(0.5, 2.0, 4)
    expect_array(sub(x, weight, eps=eps), _forward(x, weight, eps),
                 context=t("x (3, 4) of size 0.05 with a row of zeros", "x (3, 4)，数值约 0.05，其中一行全为零")
                 + f", eps={eps}" + t(" (inside the square root)", "（在开方之内）"))


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x = (rng.standard_normal((2, 3, 8)) * 2).astype(np.float32)
    weight = rng.standard_normal(8).astype(np.float32)
    dout = rng.standard_normal((2, 3, 8)).astype(np.float32)
    ctx = t("float32 x (2, 3, 8) and weight", "float32 的 x (2, 3, 8) 和 weight") + ", eps=1e-5"
    expected = _forward(x.astype(np.float64), weight.astype(np.float64), 1e-5)
    expect_array(sub(x, weight, eps=1e-5), expected, context=ctx, dtype=np.float32)
    got = expect_tuple(sub.fn("rmsnorm_backward")(dout, x, weight, eps=1e-5), NAMES, context=ctx)
    want = [a.astype(np.float64) for a in (dout, x, weight)]
    for name, value, e in zip(NAMES, got, ref.fn("rmsnorm_backward")(*want, eps=1e-5)):
        expect_array(value, e, name=name, context=ctx, dtype=np.float32, atol=1e-5 * float(np.max(np.abs(e))))


@pytest.mark.zh("反向与有限差分一致")
@pytest.mark.parametrize(("shape", "scale", "eps"), [
    pytest.param((4, 6), 1.0, 1e-6, id="x(4,6)"),
    pytest.param((2, 3, 5), 1.5, 1e-6, id="x(2,3,5)"),
    pytest.param((3, 2, 7), 0.1, 0.05, id="x(3,2,7)-eps=0.05"),
])
def test_finite_differences(sub, rng, shape, scale, eps):
    x = rng.standard_normal(shape) * scale
    weight, dout = rng.standard_normal(shape[-1]), rng.standard_normal(shape)
    ctx = f"rmsnorm_backward, x {shape}, eps={eps}"
    dx, dweight = _backward(sub, dout, x, weight, eps, ctx)
    expect_grad(dx, lambda v: _forward(v, weight, eps), x, dout, name="dx", rng=rng, context=ctx)
    expect_grad(dweight, lambda v: _forward(x, v, eps), weight, dout, name="dweight", rng=rng,
                context=ctx + t(" (summed over the leading axes)", "（在前置维度上求和）"))


@pytest.mark.zh("反向：全零行")
def test_backward_zero_row(sub, rng):
    x = rng.standard_normal((3, 5))
    x[2] = 0.0
    weight, dout = rng.standard_normal(5), rng.standard_normal((3, 5))
    eps = 1e-4
    ctx = "rmsnorm_backward, x (3, 5), " + t("row 2 all zeros", "第 2 行全为零") + f", eps={eps}"
    dx, _ = _backward(sub, dout, x, weight, eps, ctx)
    expect_array(dx[2], dout[2] * weight / np.sqrt(eps), name="dx[2]",
                 context=ctx + t(": dx = dout * weight / sqrt(eps) there", "：该行 dx = dout * weight / sqrt(eps)"))
    expect_grad(dx, lambda v: _forward(v, weight, eps), x, dout, name="dx", rng=rng, context=ctx)


@st.composite
def cases(draw):
    lead = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=2)))
    return (lead, draw(st.integers(1, 12)), draw(st.sampled_from([0.01, 1.0, 100.0])),
            draw(st.sampled_from([1e-6, 1e-3, 0.1])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状，前向与反向")
@settings(max_examples=8)
@given(c=cases())
def test_random_shapes(sub, ref, c):
    lead, d, scale, eps, seed = c
    r = np.random.default_rng(seed)
    x = r.standard_normal((*lead, d)) * scale
    weight, dout = r.standard_normal(d), r.standard_normal((*lead, d))
    ctx = f"x {(*lead, d)}, scale {scale:g}, eps={eps:g}"
    expect_array(sub(x, weight, eps=eps), ref(x, weight, eps=eps), context=ctx)
    got = _backward(sub, dout, x, weight, eps, ctx)
    for name, a, e in zip(NAMES, got, ref.fn("rmsnorm_backward")(dout, x, weight, eps=eps)):
        expect_array(a, e, name=name, context=ctx, rtol=1e-6, atol=1e-9 * max(1.0, float(np.max(np.abs(e)))))


def speed_case(rng):
    return (rng.standard_normal((16, 128, 768)), rng.standard_normal(768)), {}
