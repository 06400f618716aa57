"""Hidden checks for linear-backward: finite differences, hand values, distinct N/D/M, summed bias, identities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, t

NAMES = ("dx", "dw", "db")


def _forward(x, w, b):
    return x @ w + b


def _grads(sub, x, w, b, dout, context):
    return expect_tuple(sub(x, w, b, dout), NAMES, context=context)


@pytest.mark.zh("手算示例")
def test_hand_computed_example(sub):
    x, w = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.5]])
    dout = np.array([[1.0, 0.0, 1.0], [0.0, 2.0, -1.0]])
    ctx = t("the example of the statement", "题面中的例子")
    dx, dw, db = _grads(sub, x, w, np.zeros(3), dout, ctx)
    expect_array(dx, np.array([[3.0, -0.5], [-2.0, 1.5]]), name="dx", context=ctx)
    expect_array(dw, np.array([[1.0, 6.0, -2.0], [2.0, -2.0, 3.0]]), name="dw", context=ctx)
    expect_array(db, np.array([1.0, 2.0, 0.0]), name="db", context=ctx)


@pytest.mark.zh("有限差分")
@pytest.mark.parametrize(("n", "d", "m"), [
    pytest.param(4, 3, 5, id="N=4-D=3-M=5"),
    pytest.param(2, 7, 3, id="N=2-D=7-M=3"),
    pytest.param(6, 5, 2, id="N=6-D=5-M=2"),
])
def test_finite_differences(sub, rng, n, d, m):
    x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = rng.standard_normal((n, m))
    ctx = f"N={n}, D={d}, M={m}"
    dx, dw, db = _grads(sub, x, w, b, dout, ctx)
    expect_grad(dx, lambda v: _forward(v, w, b), x, dout, name="dx", rng=rng, context=ctx)
    expect_grad(dw, lambda v: _forward(x, v, b), w, dout, name="dw", rng=rng, context=ctx)
    expect_grad(db, lambda v: _forward(x, w, v), b, dout, name="db", rng=rng, context=ctx)


@pytest.mark.zh("单个样本")
def test_single_sample(sub, ref, rng):
    x, w, b, dout = rng.standard_normal((1, 4)), rng.standard_normal((4, 6)), rng.standard_normal(6), \
        rng.standard_normal((1, 6))
    for name, got, want in zip(NAMES, _grads(sub, x, w, b, dout, "N=1"), ref(x, w, b, dout)):
        expect_array(got, want, name=name, context="N=1, D=4, M=6")


@pytest.mark.zh("偏置梯度求和")
def test_bias_gradient_is_summed(sub, rng):
    n, d, m = 8, 3, 4
    x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = np.ones((n, m))
    ctx = t("dout all ones over a batch of 8: every bias entry collects 8",
            "批大小 8、dout 全为 1：每个偏置分量都得到 8")
    expect_array(_grads(sub, x, w, b, dout, ctx)[2], np.full(m, 8.0), name="db", context=ctx)


@pytest.mark.zh("不再除以批大小")
def test_no_extra_division_by_the_batch_size(sub, ref, rng):
    # dout is the gradient of a mean loss (it already carries the 1/N): dw sums over the batch, like db
    n, d, m = 10, 3, 4
    x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = rng.standard_normal((n, m)) / n
    ctx = t("dout of a mean loss over a batch of 10", "批大小 10 的平均损失给出的 dout") + ", N=10, D=3, M=4"
    for name, got, want in zip(NAMES, _grads(sub, x, w, b, dout, ctx), ref(x, w, b, dout)):
        expect_array(got, want, name=name, context=ctx)


@pytest.mark.zh("方阵权重")
def test_square_weights(sub, ref, rng):
    # D == M: dout @ w (PyTorch's (out, in) reading of w) has the right shape and the wrong values
    x, w, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 4)), rng.standard_normal(4)
    dout = rng.standard_normal((3, 4))
    ctx = "N=3, D=M=4: " + t("a square w, so a missing transpose still gives the right shapes",
                              "w 为方阵，少了转置形状也对得上")
    for name, got, want in zip(NAMES, _grads(sub, x, w, b, dout, ctx), ref(x, w, b, dout)):
        expect_array(got, want, name=name, context=ctx)


@pytest.mark.zh("内积恒等式")
def test_inner_product_identity(sub, rng):
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    dx, dw, db = _grads(sub, x, w, b, dout, "N=5, D=4, M=3")
    # out is bilinear in (x, w) plus b: <dout, out> = <dx, x> = <dw, w> and <dout, 1 b> = <db, b>
    lhs = float(np.sum(dout * (x @ w)))
    expect_array(np.array([np.sum(dx * x), np.sum(dw * w)]), np.array([lhs, lhs]),
                 name="[<dx, x>, <dw, w>]",
                 context=t("both must equal <dout, x @ w> (Euler's identity for a bilinear map)",
                           "两者都应等于 <dout, x @ w>（双线性映射的欧拉恒等式）"))
    expect_array(np.array(np.sum(db * b)), np.array(np.sum(dout * b)), name="<db, b>",
                 context=t("must equal <dout, b>", "应等于 <dout, b>"))


@st.composite
def cases(draw):
    return draw(st.integers(1, 9)), draw(st.integers(1, 9)), draw(st.integers(1, 9)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状")
@settings(max_examples=10)
@given(c=cases())
def test_random_shapes(sub, ref, c):
    n, d, m, seed = c
    r = np.random.default_rng(seed)
    args = (r.standard_normal((n, d)), r.standard_normal((d, m)), r.standard_normal(m), r.standard_normal((n, m)))
    ctx = f"N={n}, D={d}, M={m}"
    for name, got, want in zip(NAMES, _grads(sub, *args, ctx), ref(*args)):
        expect_array(got, want, name=name, context=ctx)


def speed_case(rng):
    return (rng.standard_normal((256, 512)), rng.standard_normal((512, 384)), rng.standard_normal(384),
            rng.standard_normal((256, 384))), {}
