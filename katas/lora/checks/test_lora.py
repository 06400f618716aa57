"""Hidden checks for lora: the worked example, the alpha / r scale (true division, rank from A.shape[1]),
the merge, merged == unmerged, leading axes, B = 0 and alpha = 0, float32, random shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t


def _definition_forward(x, W, A, B, alpha):
    """Sum by sum with einsum, the scale from the shared inner size of A and B."""
    r = B.shape[0]
    low = np.einsum("...i,ir,ro->...o", x.astype(np.float64), A.astype(np.float64), B.astype(np.float64))
    return np.einsum("...i,io->...o", x.astype(np.float64), W.astype(np.float64)) + (alpha / r) * low


def _definition_merge(W, A, B, alpha):
    r = B.shape[0]
    return W.astype(np.float64) + (alpha / r) * np.einsum("ir,ro->io", A.astype(np.float64), B.astype(np.float64))


def _arrays(rng, lead, d_in, d_out, r, dtype=np.float64):
    x = rng.standard_normal((*lead, d_in))
    W = rng.standard_normal((d_in, d_out)) / np.sqrt(d_in)
    A = rng.standard_normal((d_in, r)) / np.sqrt(d_in)
    B = rng.standard_normal((r, d_out))
    return tuple(a.astype(dtype) for a in (x, W, A, B))


def _tol(expected, dtype=np.float64):
    """atol scaled to the magnitudes compared (float64 rounding of sums of products)."""
    eps = 1e-12 if dtype == np.float64 else 1e-5
    return {"rtol": 1e-9 if dtype == np.float64 else 1e-4, "atol": eps * max(1.0, float(np.max(np.abs(expected))))}


def _forward(sub, x, W, A, B, alpha, ctx, dtype=np.float64):
    expected = _definition_forward(x, W, A, B, alpha)
    return expect_array(sub(x, W, A, B, alpha), expected.astype(dtype), name="y", context=ctx, dtype=dtype,
                        **_tol(expected, dtype))


def _merge(sub, W, A, B, alpha, ctx, dtype=np.float64):
    expected = _definition_merge(W, A, B, alpha)
    return expect_array(sub.fn("lora_merge")(W, A, B, alpha), expected.astype(dtype), name="W_merged",
                        context=ctx, dtype=dtype, **_tol(expected, dtype))


@pytest.mark.zh("题目中的手算例子")
def test_hand_worked_example(sub):
    x = np.array([[1.0, 2.0, 1.0], [0.0, 1.0, -1.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]])
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    B = np.array([[1.0, 2.0], [0.0, -1.0]])
    ctx = t("the statement's example, alpha=3, r=2 (scale 1.5)", "题目中的例子，alpha=3，r=2（缩放系数 1.5）")
    expect_array(sub(x, W, A, B, 3), np.array([[6.0, 2.5], [-3.5, -1.0]]), name="y", context=ctx)
    expect_array(sub.fn("lora_merge")(W, A, B, 3), np.array([[2.5, 3.0], [0.0, -0.5], [3.5, 0.5]]),
                 name="W_merged", context=ctx)


SHAPES = [
    pytest.param(5, 7, 4, 3, 8.0, id="N=5-Din=7-Dout=4-r=3-alpha=8.0"),
    pytest.param(6, 3, 9, 2, 16, id="N=6-Din=3-Dout=9-r=2-alpha=16"),
    pytest.param(2, 10, 6, 1, 1.0, id="N=2-Din=10-Dout=6-r=1-alpha=1.0"),
    pytest.param(4, 6, 5, 4, 6, id="N=4-Din=6-Dout=5-r=4-alpha=6"),
]


@pytest.mark.zh("前向与定义一致")
@pytest.mark.parametrize(("n", "d_in", "d_out", "r", "alpha"), SHAPES)
def test_forward_matches_the_definition(sub, rng, n, d_in, d_out, r, alpha):
    x, W, A, B = _arrays(rng, (n,), d_in, d_out, r)
    _forward(sub, x, W, A, B, alpha, f"x {x.shape}, W {W.shape}, A {A.shape}, B {B.shape}, alpha={alpha!r}")


@pytest.mark.zh("合并后的权重与定义一致")
@pytest.mark.parametrize(("n", "d_in", "d_out", "r", "alpha"), SHAPES)
def test_merge_matches_the_definition(sub, rng, n, d_in, d_out, r, alpha):
    _, W, A, B = _arrays(rng, (n,), d_in, d_out, r)
    _merge(sub, W, A, B, alpha, f"lora_merge, W {W.shape}, A {A.shape}, B {B.shape}, alpha={alpha!r}")


@pytest.mark.zh("合并前后的前向相同")
def test_merged_forward_equals_unmerged(sub, rng):
    x, W, A, B = _arrays(rng, (11,), 8, 5, 3)
    ctx = t("x @ lora_merge(...) against lora_forward(...)", "x @ lora_merge(...) 与 lora_forward(...) 对比") + \
        f", x {x.shape}, W {W.shape}, r=3, alpha=12"
    merged = _merge(sub, W, A, B, 12, ctx)
    y = _forward(sub, x, W, A, B, 12, ctx)
    expect_array(x @ merged, y, name="x @ W_merged", context=ctx, rtol=1e-9, atol=1e-12 * np.max(np.abs(y)))


@pytest.mark.zh("带前导维的输入")
def test_leading_axes(sub, rng):
    x, W, A, B = _arrays(rng, (3, 4), 6, 7, 2)
    _forward(sub, x, W, A, B, 5.0, t("x with leading axes", "x 带前导维") + f" {x.shape}, W {W.shape}, r=2, alpha=5.0")


@pytest.mark.zh("B 为零或 alpha 为零时等于原层")
@pytest.mark.parametrize("case", ["B=0", "alpha=0"])
def test_zero_update_is_the_frozen_layer(sub, rng, case):
    x, W, A, B = _arrays(rng, (4,), 5, 3, 2)
    alpha = 0.0 if case == "alpha=0" else 8.0
    if case == "B=0":
        B = np.zeros_like(B)
    ctx = f"{case}, x {x.shape}, W {W.shape}, r=2, alpha={alpha}: " + t("y = x @ W", "y = x @ W")
    _forward(sub, x, W, A, B, alpha, ctx)
    _merge(sub, W, A, B, alpha, ctx)


@pytest.mark.zh("秩取 A.shape[1]，不是 A 的数值秩")
def test_rank_is_the_shape_not_the_numerical_rank(sub, rng):
    x, W, A, B = _arrays(rng, (5,), 6, 4, 4)
    A = np.concatenate([A[:, :2], A[:, :2]], axis=1)  # 4 columns, numerical rank 2
    ctx = t("A (6, 4) whose last two columns repeat the first two (numerical rank 2, r = 4), alpha=8",
            "A (6, 4) 的后两列与前两列相同（数值秩为 2，r = 4），alpha=8") + f", x {x.shape}, W {W.shape}"
    _forward(sub, x, W, A, B, 8, ctx)
    _merge(sub, W, A, B, 8, ctx)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    x, W, A, B = _arrays(rng, (6,), 9, 4, 3, dtype=np.float32)
    ctx = t("float32 inputs", "float32 输入") + f", x {x.shape}, W {W.shape}, r=3, alpha=6"
    _forward(sub, x, W, A, B, 6, ctx, dtype=np.float32)
    _merge(sub, W, A, B, 6, ctx, dtype=np.float32)


@st.composite
def lora_cases(draw):
    lead = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    return (lead, draw(st.integers(1, 12)), draw(st.integers(1, 12)), draw(st.integers(1, 6)),
            draw(st.sampled_from([0.5, 1, 3, 7.5, 16, 32.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状")
@settings(max_examples=10)
@given(c=lora_cases())
def test_random_shapes(sub, c):
    lead, d_in, d_out, r, alpha, seed = c
    x, W, A, B = _arrays(np.random.default_rng(seed), lead, d_in, d_out, r)
    ctx = f"x {x.shape}, W {W.shape}, A {A.shape}, B {B.shape}, alpha={alpha!r}"
    _forward(sub, x, W, A, B, alpha, ctx)
    _merge(sub, W, A, B, alpha, "lora_merge, " + ctx)


def speed_case(rng):
    x, W, A, B = _arrays(rng, (256,), 1024, 1024, 8)
    return (x, W, A, B, 16), {}
