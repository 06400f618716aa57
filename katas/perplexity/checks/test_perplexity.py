"""Hidden checks for perplexity: a hand value, uniform = V, token weighting, padding with -inf/nan, nats,
long sequences (no product of probabilities), and random batches."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_number, t


def _expect(got, expected, context):
    if type(got) is np.ndarray:
        raise CheckFailed(f"{context}: " + t("perplexity should be returned as a Python float, got a numpy array",
                                             "困惑度应以 Python float 返回，实际得到 numpy 数组"))
    expect_number(got, expected, name=t("perplexity", "困惑度"), context=context)


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    lp = np.log(np.array([[0.5, 0.25, 0.9], [0.1, 0.2, 0.3]]))
    mask = np.array([[True, True, False], [True, False, False]])
    _expect(sub(lp, mask), 80 ** (1 / 3),
            t("probabilities [[0.5, 0.25, pad], [0.1, pad, pad]]: (0.5 * 0.25 * 0.1) ** (-1/3)",
              "概率 [[0.5, 0.25, 填充], [0.1, 填充, 填充]]：(0.5 * 0.25 * 0.1) ** (-1/3)"))


@pytest.mark.zh("均匀分布的模型困惑度为 V")
@pytest.mark.parametrize("v", [2, 50, 32000], ids=lambda v: f"V={v}")
def test_uniform_model_gives_vocabulary_size(sub, rng, v):
    lp = np.full((3, 7), -math.log(v))
    mask = rng.random((3, 7)) < 0.7
    mask[0, 0] = True
    _expect(sub(lp, mask), float(v), t(f"every token has probability 1/{v}", f"每个词元的概率都是 1/{v}"))


@pytest.mark.zh("按词元加权，而不是按序列")
def test_token_weighted_not_per_sequence(sub):
    lp = np.array([[math.log(0.5)] * 8, [math.log(0.01), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    mask = np.zeros((2, 8), dtype=bool)
    mask[0, :] = True
    mask[1, 0] = True
    expected = math.exp(-(8 * math.log(0.5) + math.log(0.01)) / 9)
    _expect(sub(lp, mask), expected,
            t("an 8-token sequence at p = 0.5 and a 1-token one at p = 0.01: average over the 9 tokens",
              "一条 8 个词元、p = 0.5 的序列和一条 1 个词元、p = 0.01 的序列：对 9 个词元求平均"))


@pytest.mark.zh("填充位置可能是 -inf 或 nan")
def test_padding_may_hold_inf_and_nan(sub, rng):
    lp = np.log(rng.uniform(0.05, 1.0, size=(4, 6)))
    mask = np.ones((4, 6), dtype=bool)
    mask[1, 3:] = mask[2, 1:] = mask[3, 5] = False
    dirty = lp.copy()
    dirty[1, 3], dirty[2, 2], dirty[3, 5], dirty[1, 4] = -np.inf, np.nan, np.inf, -1e308
    expected = math.exp(-sum(float(lp[i, j]) for i in range(4) for j in range(6) if mask[i, j]) / mask.sum())
    _expect(sub(dirty, mask), expected,
            t("padding positions hold -inf, nan, inf and -1e308; only masked tokens count",
              "填充位置是 -inf、nan、inf 和 -1e308；只统计 mask 为 True 的词元"))


@pytest.mark.zh("没有填充")
def test_all_tokens_real(sub, rng):
    lp = np.log(rng.uniform(0.001, 1.0, size=(5, 9)))
    _expect(sub(lp, np.ones((5, 9), dtype=bool)), math.exp(-float(lp.mean())),
            t("no padding: exp(-mean log-prob)", "没有填充：exp(-平均对数概率)"))


@pytest.mark.zh("长序列不下溢")
def test_long_sequences_do_not_underflow(sub, rng):
    # 4 x 1500 tokens at p in [0.01, 0.5]: the product of the probabilities is about 1e-8000, 0.0 in float64
    lp = np.log(rng.uniform(0.01, 0.5, size=(4, 1500)))
    mask = np.ones((4, 1500), dtype=bool)
    mask[2, 1200:] = False
    expected = math.exp(-math.fsum(lp[mask].tolist()) / int(mask.sum()))
    _expect(sub(lp, mask), expected,
            t("4 sequences of up to 1500 tokens at p in [0.01, 0.5] (the product of the probabilities underflows)",
              "4 条最长 1500 个词元的序列，p 在 [0.01, 0.5] 之间（概率的乘积会下溢）"))


@st.composite
def _cases(draw):
    return draw(st.integers(1, 6)), draw(st.integers(1, 30)), draw(st.floats(0.1, 1.0)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机批次")
@settings(max_examples=10)
@given(case=_cases())
def test_random_batches(sub, ref, case):
    n, length, keep, seed = case
    r = np.random.default_rng(seed)
    lp = np.log(r.uniform(1e-4, 1.0, size=(n, length)))
    mask = r.random((n, length)) < keep
    mask[0, 0] = True
    _expect(sub(lp, mask), ref(lp, mask),
            t(f"batch ({n}, {length}), {int(mask.sum())} real tokens",
              f"批次 ({n}, {length})，{int(mask.sum())} 个真实词元"))


def speed_case(rng):
    lp = np.log(rng.uniform(1e-4, 1.0, size=(64, 4096)))
    return (lp, rng.random((64, 4096)) < 0.9), {}
