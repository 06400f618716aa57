"""Hidden checks for two-layer-net: the definition sample by sample, shapes, saturation, dead units, dtypes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t


def _params(rng, n, d, h, out_scale=1.0):
    x = rng.standard_normal((n, d))
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    b1 = rng.standard_normal(h) * 0.1
    w2 = rng.standard_normal((h, 1)) * out_scale
    b2 = rng.standard_normal(1)
    return x, w1, b1, w2, b2


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _by_definition(x, w1, b1, w2, b2):
    """One sample and one unit at a time, with math.exp: independent of any vectorized trick."""
    n, d = x.shape
    hidden = w1.shape[1]
    p = np.empty((n, 1))
    for i in range(n):
        z = float(b2[0])
        for j in range(hidden):
            a = float(b1[j]) + sum(float(x[i, k]) * float(w1[k, j]) for k in range(d))
            z += max(a, 0.0) * float(w2[j, 0])
        p[i, 0] = _sigmoid(z)
    return p


def _ctx(x, w1):
    return f"x {x.shape}, W1 {w1.shape}"


@pytest.mark.zh("手算示例")
def test_hand_worked_example(sub):
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])
    w1 = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -2.0]])
    b1 = np.array([0.0, 0.5, 1.0])
    w2 = np.array([[1.0], [-1.0], [2.0]])
    b2 = np.array([-1.0])
    expected = np.array([[1 / (1 + math.exp(0.5))], [1 / (1 + math.exp(3.0))]])
    expect_array(sub(x, w1, b1, w2, b2), expected, name="p",
                 context=t("the worked example of the statement (logits -0.5 and -3)",
                           "题面中的例子（logits 为 -0.5 和 -3）"))


@pytest.mark.zh("与逐样本的定义一致")
@pytest.mark.parametrize(("n", "d", "h"), [
    pytest.param(7, 4, 5, id="N=7-D=4-H=5"), pytest.param(3, 6, 2, id="N=3-D=6-H=2"),
    pytest.param(1, 3, 8, id="N=1-D=3-H=8"), pytest.param(9, 2, 1, id="N=9-D=2-H=1"),
])
def test_matches_the_definition(sub, rng, n, d, h):
    args = _params(rng, n, d, h)
    expect_array(sub(*args), _by_definition(*args), name="p", context=_ctx(args[0], args[1]))


@pytest.mark.zh("输出饱和")
@pytest.mark.parametrize("b2", [pytest.param(None, id="logits-of-both-signs"),
                                pytest.param(2e3, id="b2=2000"), pytest.param(-2e3, id="b2=-2000")])
def test_saturated_output(sub, rng, b2):
    """Logits in the hundreds and thousands, both signs: p must be finite and exactly 0- or 1-like."""
    x, w1, b1, w2, b2_random = _params(rng, 10, 4, 6, out_scale=500.0)
    if b2 is None:
        args = (x, w1, b1, w2, b2_random)
        ctx = _ctx(x, w1) + t(", W2 scaled so that |logits| reach ~1e3", "，W2 放大使 |logits| 达到约 1e3")
    else:
        args = (x, w1, b1, np.abs(w2), np.array([b2]))
        ctx = _ctx(x, w1) + f", W2 >= 0, b2 = {b2:g}: " + t(f"every logit beyond {b2:g}", f"每个 logit 都超出 {b2:g}")
    expect_array(sub(*args), _by_definition(*args), name="p", context=ctx)


@pytest.mark.zh("隐藏层全部失活")
def test_dead_hidden_layer(sub, rng):
    """Every hidden pre-activation negative: the output is sigmoid(b2) for every sample."""
    x, w1, _, w2, b2 = _params(rng, 6, 3, 4)
    b1 = np.full(4, -100.0)
    expect_array(sub(x, w1, b1, w2, b2), np.full((6, 1), _sigmoid(float(b2[0]))), name="p",
                 context=_ctx(x, w1) + t(", b1 = -100 (all hidden units inactive)",
                                         "，b1 = -100（隐藏单元全部不激活）"))


@st.composite
def cases(draw):
    return (draw(st.integers(1, 11)), draw(st.integers(1, 11)), draw(st.integers(1, 11)),
            draw(st.sampled_from([0.1, 1.0, 10.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, ref, c):
    n, d, h, out_scale, seed = c
    args = _params(np.random.default_rng(seed), n, d, h, out_scale=out_scale)
    expect_array(sub(*args), ref(*args), name="p", context=_ctx(args[0], args[1]))


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 8, 5, 6))
    expect_array(sub(*args), ref(*args), name="p", dtype=np.float32,
                 context=t("float32 inputs", "float32 输入") + ", x (8, 5), W1 (5, 6)")


def speed_case(rng):
    return _params(rng, 4096, 256, 512), {}
