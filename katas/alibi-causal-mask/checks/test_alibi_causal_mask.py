"""Hidden checks for the ALiBi causal bias: the worked example, power-of-two slopes, the paper's rule for other
head counts, -inf exactly above the diagonal and 0 on it, L = 1, random sizes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t


def _slopes(h):
    """The slopes as the paper's reference code builds them."""
    if math.log2(h).is_integer():
        start = 2 ** (-(2 ** -(math.log2(h) - 3)))
        return [start * start**i for i in range(h)]
    n = 2 ** math.floor(math.log2(h))
    return _slopes(n) + _slopes(2 * n)[0::2][: h - n]


def _expected(h, length):
    out = np.empty((h, length, length))
    for head, m in enumerate(_slopes(h)):
        for i in range(length):
            for j in range(length):
                out[head, i, j] = -m * (i - j) if j <= i else -math.inf
    return out


def _expect_bias(got, h, length, ctx):
    shape = (h, length, length)
    if type(got) is not np.ndarray:
        raise CheckFailed(ctx + t(f": should return a numpy array of shape {shape}, got {type(got).__name__}",
                                  f"：应返回形状为 {shape} 的 numpy 数组，实际得到 {type(got).__name__}"))
    if got.dtype != np.float64:
        raise CheckFailed(ctx + t(f": the bias should have dtype float64, got {got.dtype}",
                                  f"：偏置的 dtype 应为 float64，实际为 {got.dtype}"))
    if got.shape != shape:
        raise CheckFailed(ctx + t(f": expected shape {shape} (H, L, L), got {got.shape}",
                                  f"：形状应为 {shape}（H, L, L），实际为 {got.shape}"))
    above = np.triu(np.ones((length, length), dtype=bool), 1)[None]
    bad = np.argwhere(above & ~(got == -np.inf))
    if len(bad):
        hh, i, j = (int(v) for v in bad[0])
        raise CheckFailed(ctx + t(f": bias[{hh}, {i}, {j}] (key after the query) should be exactly -inf, "
                                  f"got {float(got[hh, i, j])!r}",
                                  f"：bias[{hh}, {i}, {j}]（键在查询之后）应恰好为 -inf，"
                                  f"实际为 {float(got[hh, i, j])!r}"))
    keep = np.broadcast_to(~above, shape)
    bad = np.argwhere(keep & ~np.isfinite(got))
    if len(bad):
        hh, i, j = (int(v) for v in bad[0])
        raise CheckFailed(ctx + t(f": bias[{hh}, {i}, {j}] (j <= i: a key the query may see) should be finite, "
                                  f"got {float(got[hh, i, j])!r}; the diagonal is 0",
                                  f"：bias[{hh}, {i}, {j}]（j <= i：查询可以看到的键）应为有限值，"
                                  f"实际为 {float(got[hh, i, j])!r}；对角线上为 0"))
    expected = _expected(h, length)
    wrong = keep & ~np.isclose(got, np.where(keep, expected, 0.0), rtol=1e-7, atol=1e-12)
    if np.any(wrong):
        hh, i, j = (int(v) for v in np.argwhere(wrong)[0])
        count, size = int(wrong.sum()), int(keep.sum())
        raise CheckFailed(ctx + t(f": bias[{hh}, {i}, {j}] expected {float(expected[hh, i, j])!r}, got "
                                  f"{float(got[hh, i, j])!r} ({count} of the {size} entries with j <= i differ)",
                                  f"：bias[{hh}, {i}, {j}] 应为 {float(expected[hh, i, j])!r}，实际为 "
                                  f"{float(got[hh, i, j])!r}（j <= i 的 {size} 个值中有 {count} 个不同）"))


@pytest.mark.zh("题目中的例子")
def test_worked_example(sub):
    ctx = t("the example of the statement, alibi_bias(2, 3)", "题目中的例子，alibi_bias(2, 3)")
    got = sub(2, 3)
    _expect_bias(got, 2, 3, ctx)
    inf = math.inf
    expected = np.array([[[0.0, -inf, -inf], [-0.0625, 0.0, -inf], [-0.125, -0.0625, 0.0]],
                         [[0.0, -inf, -inf], [-0.00390625, 0.0, -inf], [-0.0078125, -0.00390625, 0.0]]])
    keep = np.isfinite(expected)
    expect_array(got[keep], expected[keep], name=t("finite entries", "有限值部分"), context=ctx)


@pytest.mark.zh("H 为 2 的幂：等比斜率")
@pytest.mark.parametrize(("h", "length"), [pytest.param(1, 4, id="H=1-L=4"), pytest.param(4, 6, id="H=4-L=6"),
                                           pytest.param(8, 5, id="H=8-L=5"), pytest.param(16, 3, id="H=16-L=3")])
def test_power_of_two_heads(sub, h, length):
    ctx = f"alibi_bias({h}, {length})" + t(f": slopes 2^(-8 (h + 1) / {h})", f"：斜率为 2^(-8 (h + 1) / {h})")
    got = sub(h, length)
    _expect_bias(got, h, length, ctx)
    expect_array(-got[:, 1, 0], 2.0 ** (-8.0 * np.arange(1, h + 1) / h),
                 name=t("slopes read off as -bias[:, 1, 0]", "由 -bias[:, 1, 0] 读出的斜率"), context=ctx)


@pytest.mark.zh("H 不是 2 的幂：论文参考代码的规则")
@pytest.mark.parametrize(("h", "length"), [pytest.param(6, 7, id="H=6-L=7"), pytest.param(3, 4, id="H=3-L=4"),
                                           pytest.param(12, 5, id="H=12-L=5"), pytest.param(5, 2, id="H=5-L=2")])
def test_other_head_counts(sub, h, length):
    n = 2 ** math.floor(math.log2(h))
    ctx = f"alibi_bias({h}, {length})" + t(f": the {n} slopes for {n} heads, then every other slope for {2 * n} heads",
                                           f"：先取 {n} 个头的 {n} 个斜率，再从 {2 * n} 个头的斜率中隔一个取一个")
    _expect_bias(sub(h, length), h, length, ctx)


@pytest.mark.zh("L = 1")
def test_single_position(sub):
    ctx = "alibi_bias(5, 1)" + t(": one position, the bias is 0", "：只有一个位置，偏置为 0")
    _expect_bias(sub(5, 1), 5, 1, ctx)


@pytest.mark.zh("长序列：偏置与距离成正比")
def test_long_sequence(sub):
    ctx = "alibi_bias(8, 40)" + t(": bias[h, 39, 0] = -39 m_h", "：bias[h, 39, 0] = -39 m_h")
    _expect_bias(sub(8, 40), 8, 40, ctx)


@pytest.mark.zh("随机的 H 与 L")
@settings(max_examples=10)
@given(h=st.integers(1, 40), length=st.integers(1, 20))
def test_random_sizes(sub, h, length):
    _expect_bias(sub(h, length), h, length, f"alibi_bias({h}, {length})")


def speed_case(rng):
    return (32, 512), {}
