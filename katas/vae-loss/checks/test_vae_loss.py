"""Hidden checks for vae-loss: the reparameterization, KL in closed form and by Monte Carlo, stable BCE,
fractional targets, float32 inputs, and random cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, t

NAMES = ("z", "recon", "kl", "loss")


def _inputs(rng, n, d, latent, logit_scale=2.0):
    x = (rng.random((n, d)) < 0.4).astype(np.float64)
    x_logits = rng.standard_normal((n, d)) * logit_scale
    mu = rng.standard_normal((n, latent))
    logvar = rng.uniform(-3.0, 2.0, (n, latent))
    eps = rng.standard_normal((n, latent))
    return x, x_logits, mu, logvar, eps


def _closed_form(x, x_logits, mu, logvar, eps):
    """Written independently of the statement's formula: KL(N(mu, s^2) || N(0, 1)) = -log s + (s^2 + mu^2 - 1) / 2."""
    s = np.sqrt(np.exp(logvar))
    z = mu + s * eps
    recon = np.mean(np.sum(np.logaddexp(0.0, x_logits) - x * x_logits, axis=1))
    kl = np.mean(np.sum(-np.log(s) + (s**2 + mu**2 - 1.0) / 2.0, axis=1))
    return z, float(recon), float(kl), float(recon + kl)


def _call(sub, args, ctx, dtype=None):
    got = expect_tuple(sub(*args), NAMES, context=ctx)
    expect_array(got[0], args[2], name="z", context=ctx, rtol=0.0, atol=1e300, dtype=dtype)
    return got


def _expect_all(got, expected, ctx, rtol=1e-7, dtype=None):
    expect_array(got[0], expected[0], name="z", context=ctx, dtype=dtype)
    for name, value, want in zip(NAMES[1:], got[1:], expected[1:]):
        expect_number(value, want, name=name, context=ctx, rtol=rtol)


def _ctx(x, mu):
    return f"x {x.shape}, mu {mu.shape}"


@pytest.mark.zh("题目中的例子")
def test_statement_example(sub):
    args = (np.array([[1.0, 0.0, 1.0]]), np.array([[2.0, -1.0, 0.0]]), np.array([[1.0, -1.0]]),
            np.array([[0.0, math.log(4.0)]]), np.array([[0.5, -0.5]]))
    ctx = t("the statement's example (sigma = [1, 2])", "题目中的例子（sigma = [1, 2]）")
    recon = math.log1p(math.exp(-2.0)) + math.log1p(math.exp(-1.0)) + math.log(2.0)
    kl = 0.5 + (2.0 - math.log(2.0))
    _expect_all(_call(sub, args, ctx), (np.array([[1.5, -2.0]]), recon, kl, recon + kl), ctx)


@pytest.mark.zh("后验等于先验")
def test_posterior_equals_prior(sub):
    args = (np.zeros((2, 5)), np.zeros((2, 5)), np.zeros((2, 3)), np.zeros((2, 3)), np.ones((2, 3)))
    ctx = t("mu = 0, logvar = 0 (the posterior equals the prior), logits 0, D=5",
            "mu = 0，logvar = 0（后验等于先验），logits 为 0，D=5")
    _expect_all(_call(sub, args, ctx), (np.ones((2, 3)), 5 * math.log(2.0), 0.0, 5 * math.log(2.0)), ctx)


@pytest.mark.zh("与闭式解一致")
@pytest.mark.parametrize(("n", "d", "latent"), [pytest.param(6, 9, 4, id="N=6-D=9-L=4"),
                                                pytest.param(3, 2, 7, id="N=3-D=2-L=7"),
                                                pytest.param(1, 5, 3, id="N=1-D=5-L=3")])
def test_closed_form(sub, rng, n, d, latent):
    args = _inputs(rng, n, d, latent)
    ctx = _ctx(args[0], args[2])
    _expect_all(_call(sub, args, ctx), _closed_form(*args), ctx)


@pytest.mark.zh("蒙特卡洛估计的 KL")
def test_kl_by_monte_carlo(sub, rng):
    """Many samples of one posterior: mean of log q(z) - log p(z) over the returned z estimates the KL."""
    samples, latent = 20_000, 3
    mu = np.tile(rng.uniform(-1.5, 1.5, latent), (samples, 1))
    logvar = np.tile(rng.uniform(-1.5, 1.0, latent), (samples, 1))
    eps = rng.standard_normal((samples, latent))
    args = (np.zeros((samples, 1)), np.zeros((samples, 1)), mu, logvar, eps)
    ctx = t(f"{samples} copies of one posterior, ", f"同一后验的 {samples} 份拷贝，") + \
        f"mu {np.round(mu[0], 3).tolist()}, logvar {np.round(logvar[0], 3).tolist()}"
    z, _, kl, _ = _call(sub, args, ctx)
    expect_number(kl, float(np.sum(-0.5 * (1 + logvar[0] - mu[0] ** 2 - np.exp(logvar[0])))), name="kl",
                  context=ctx)
    var = np.exp(logvar)
    log_ratio = np.sum(-0.5 * logvar - (z - mu) ** 2 / (2 * var) + z**2 / 2, axis=1)  # log q(z) - log p(z)
    estimate, stderr = float(np.mean(log_ratio)), float(np.std(log_ratio) / np.sqrt(samples))
    if not abs(estimate - kl) <= 5 * stderr:
        raise CheckFailed(f"{ctx}: " + t(
            f"your samples z do not come from N(mu, exp(logvar)): the Monte Carlo KL estimate from them is "
            f"{estimate:.5f} +- {stderr:.5f}, the closed form gives {kl:.5f}",
            f"你的样本 z 不服从 N(mu, exp(logvar))：由它们得到的蒙特卡洛 KL 估计为 {estimate:.5f} +- {stderr:.5f}，"
            f"闭式解为 {kl:.5f}"))


@pytest.mark.zh("极端的 logits 与方差")
def test_extreme_values(sub, rng):
    """Decoder logits of +-50 and +-1e4 against both targets; very small and large variances."""
    x = np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 0.5, 1.0]])
    x_logits = np.array([[50.0, -50.0, 1e4, -1e4], [50.0, -50.0, 1e4, 3.0]])
    mu = rng.standard_normal((2, 3))
    logvar = np.array([[-30.0, 0.0, 10.0], [-12.0, 5.0, -0.5]])
    args = (x, x_logits, mu, logvar, rng.standard_normal((2, 3)))
    ctx = t("x_logits of +-50 and +-1e4, logvar from -30 to 10", "x_logits 为 +-50 和 +-1e4，logvar 从 -30 到 10")
    _expect_all(_call(sub, args, ctx), _closed_form(*args), ctx)


@pytest.mark.zh("取值在 0 与 1 之间的目标")
def test_fractional_targets(sub, rng):
    """x in [0, 1] (grey levels), not only 0/1: a BCE written for binary targets agrees on 0/1 data only."""
    x = np.array([[0.0, 0.25, 0.5, 0.75, 1.0], [0.1, 0.9, 0.5, 0.3, 0.6], [1.0, 0.0, 0.2, 0.8, 0.45]])
    x_logits = np.array([[-1.0, 2.0, 0.5, -3.0, 1.5], [0.2, -0.7, 4.0, 1.0, -2.0], [3.0, -1.0, 0.0, 2.5, -0.4]])
    args = (x, x_logits, *(rng.standard_normal((3, 2)) for _ in range(3)))
    ctx = t("x with values between 0 and 1 (0.25, 0.5, ...), N=3, D=5",
            "x 的取值在 0 与 1 之间（0.25、0.5 等），N=3，D=5")
    _expect_all(_call(sub, args, ctx), _closed_form(*args), ctx)


@pytest.mark.zh("float32 输入得到 float32 的 z")
def test_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _inputs(rng, 7, 6, 4))
    ctx = t("float32 inputs, ", "float32 输入，") + _ctx(args[0], args[2])
    _expect_all(_call(sub, args, ctx, dtype=np.float32), ref(*args), ctx, rtol=1e-5, dtype=np.float32)


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 11)), draw(st.integers(1, 11)), draw(st.integers(1, 11)),
            draw(st.sampled_from([0.5, 5.0, 30.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机情形")
@settings(max_examples=10)
@given(case=_cases())
def test_random_cases(sub, ref, case):
    n, d, latent, logit_scale, seed = case
    args = _inputs(np.random.default_rng(seed), n, d, latent, logit_scale=logit_scale)
    ctx = _ctx(args[0], args[2])
    _expect_all(_call(sub, args, ctx), ref(*args), ctx)


def speed_case(rng):
    return _inputs(rng, 1024, 784, 32), {}
