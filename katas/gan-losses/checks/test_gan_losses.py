"""Hidden checks for gan-losses: hand values, extreme logits, unequal batch sizes, the non-saturating loss,
float32 logits, and random cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_number, expect_tuple, t

NAMES = ("d_loss", "g_loss")


def _softplus(x):
    """log(1 + e^x) in plain floats, one value at a time."""
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _expected(real, fake):
    """The definition element by element with math (independent of the vectorized reference)."""
    d = sum(_softplus(-float(r)) for r in real) / len(real) + sum(_softplus(float(f)) for f in fake) / len(fake)
    g = sum(_softplus(-float(f)) for f in fake) / len(fake)
    return d, g


def _expect_losses(got, expected, ctx, rtol=1e-9, atol=1e-12):
    got = expect_tuple(got, NAMES, context=ctx)
    for name, value, want in zip(NAMES, got, expected):
        expect_number(value, want, name=name, context=ctx, rtol=rtol, atol=atol)


def _check(sub, real, fake, ctx, rtol=1e-9):
    _expect_losses(sub(real, fake), _expected(real, fake), ctx, rtol=rtol)


@pytest.mark.zh("所有 logits 为 0")
def test_all_logits_zero(sub):
    _expect_losses(sub(np.zeros(3), np.zeros(2)), (2 * math.log(2.0), math.log(2.0)),
                   t("all logits 0 (D = 0.5 everywhere): d_loss = 2 log 2, g_loss = log 2",
                     "所有 logits 为 0（处处 D = 0.5）：d_loss = 2 log 2，g_loss = log 2"))


@pytest.mark.zh("题目中的例子")
def test_statement_example(sub):
    _check(sub, np.array([2.0, 1.0]), np.array([-1.0, 1.0, 3.0]),
           t("real_logits [2, 1], fake_logits [-1, 1, 3] (the statement's example)",
             "real_logits [2, 1]，fake_logits [-1, 1, 3]（题目中的例子）"))


# Logits of +-50 and +-1e4: probabilities round to exactly 0 or 1, so log(sigmoid) breaks
EXTREME = [
    pytest.param([50.0, -50.0], [50.0, -50.0, 3.0], ("logits +-50", "logits 为 +-50"), id="logits=+-50"),
    pytest.param([1e4, -1e4], [-1e4, 1e4], ("logits +-1e4", "logits 为 +-1e4"), id="logits=+-1e4"),
    pytest.param([-50.0], [50.0], ("a discriminator that is confidently wrong (real -50, fake +50)",
                                   "判别器自信地判错（真实 -50，生成 +50）"), id="confidently-wrong"),
    pytest.param([1e4], [-1e4], ("a discriminator that wins outright (real +1e4, fake -1e4): g_loss = 1e4",
                                 "判别器完胜（真实 +1e4，生成 -1e4）：g_loss = 1e4"), id="discriminator-wins"),
]


@pytest.mark.zh("极端的 logits")
@pytest.mark.parametrize(("real", "fake", "context"), EXTREME)
def test_extreme_logits(sub, real, fake, context):
    _check(sub, np.array(real), np.array(fake), t(*context))


@pytest.mark.zh("两个批次大小不同")
@pytest.mark.parametrize(("m", "k"), [(5, 2), (1, 7)], ids=["M=5-K=2", "M=1-K=7"])
def test_batch_sizes_differ(sub, rng, m, k):
    """Each term is a mean over its own batch: averaging the concatenation weighs them wrongly."""
    real, fake = rng.normal(1.0, 2.0, m), rng.normal(-1.0, 2.0, k)
    _check(sub, real, fake, f"M={m}, K={k}")


@pytest.mark.zh("生成器损失是非饱和的")
def test_generator_loss_is_non_saturating(sub, rng):
    """When D rejects the fakes (logits ~ -10), -mean(log D(G(z))) is large, not ~0 as log(1 - D) would be."""
    fake = rng.uniform(-12.0, -8.0, 6)
    real = rng.uniform(8.0, 12.0, 4)
    _check(sub, real, fake, t("fake logits in [-12, -8] (D(G(z)) ~ 1e-4: the generator must get a strong signal)",
                              "生成样本的 logits 在 [-12, -8]（D(G(z)) ~ 1e-4：生成器必须得到强信号）"))


@pytest.mark.zh("float32 的 logits")
def test_float32_logits(sub, rng):
    real = rng.normal(2.0, 20.0, 9).astype(np.float32)
    fake = rng.normal(-2.0, 20.0, 6).astype(np.float32)
    _check(sub, real, fake, t("float32 logits (M=9, K=6)", "float32 的 logits（M=9，K=6）"), rtol=1e-5)


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 39)), draw(st.integers(1, 39)), draw(st.floats(-1.0, 3.0)),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机情形")
@settings(max_examples=10)
@given(case=_cases())
def test_random_cases(sub, ref, case):
    m, k, log_scale, seed = case
    r, scale = np.random.default_rng(seed), float(10.0 ** log_scale)
    real, fake = r.standard_normal(m) * scale, r.standard_normal(k) * scale
    _expect_losses(sub(real, fake), ref(real, fake),
                   t(f"M={m}, K={k}, logits of scale {scale:.3g}", f"M={m}，K={k}，logits 的量级 {scale:.3g}"),
                   rtol=1e-7, atol=1e-10)


def speed_case(rng):
    return (rng.standard_normal(1_000_000) * 5, rng.standard_normal(1_000_000) * 5), {}
