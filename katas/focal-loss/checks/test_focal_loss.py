"""Hidden checks for focal-loss: the definition (torchvision's sigmoid_focal_loss, mean), alpha on the right
class, gamma at 0 and non-default values, logits up to |z| = 1e4 for both labels, the gradient (finite
differences), float32."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

NAMES = ("loss", "dz")


def _elementwise(z, y, alpha, gamma):
    """Written independently: log p = -logaddexp(0, -z), log(1 - p) = -logaddexp(0, z); p from exp of those."""
    z = z.astype(np.float64)
    log_p, log_1mp = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    log_pt = np.where(y == 1, log_p, log_1mp)
    one_minus_pt = np.exp(np.where(y == 1, log_1mp, log_p))
    alpha_t = np.where(y == 1, alpha, 1.0 - alpha)
    return alpha_t * one_minus_pt**gamma * (-log_pt), log_pt, one_minus_pt, alpha_t


def _expected(z, y, alpha, gamma):
    loss, log_pt, q, alpha_t = _elementwise(z, y, alpha, gamma)
    # d p_t / dz = (2y - 1) p_t q with q = 1 - p_t, so
    # d/dz [alpha_t q^g (-log p_t)] = -(2y - 1) alpha_t q^g (g p_t (-log p_t) + q)
    pt = np.exp(log_pt)
    return float(loss.mean()), -(2 * y - 1) * alpha_t * q**gamma * (gamma * pt * -log_pt + q) / z.size


def _run(sub, z, y, alpha, gamma, ctx, **kw):
    got = expect_tuple(sub(z, y, alpha=alpha, gamma=gamma), NAMES, context=ctx)
    loss, grad = _expected(z, y, alpha, gamma)
    expect_number(got[0], loss, name="loss", context=ctx, **kw)
    return got, grad


@pytest.mark.zh("题目中的手算例子")
@pytest.mark.parametrize(("gamma", "loss", "dz_times_4"), [
    pytest.param(2.0, 0.5951483484213983, [-0.001217735049, -0.1920586808, 0.2237150964, 0.8450624105], id="gamma=2"),
    pytest.param(0.0, 0.7915870809351411, [-0.02980073051, -0.1827646447, 0.375, 0.7144305951], id="gamma=0"),
])
def test_hand_worked_example(sub, gamma, loss, dz_times_4):
    z, y = np.array([2.0, -1.0, 0.0, 3.0]), np.array([1.0, 1.0, 0.0, 0.0])
    ctx = t("the statement's example", "题目中的例子") + f": z [2, -1, 0, 3], y [1, 1, 0, 0], alpha=0.25, gamma={gamma}"
    got = expect_tuple(sub(z, y, alpha=0.25, gamma=gamma), NAMES, context=ctx)
    expect_number(got[0], loss, name="loss", context=ctx)
    expect_array(got[1], np.array(dz_times_4) / 4, name="dz", context=ctx, rtol=1e-8, atol=1e-12)


# (shape, alpha, gamma): every parameter away from its default somewhere
CASES = [
    pytest.param((7,), 0.25, 2.0, id="N=7-defaults-spelled-out"),
    pytest.param((4, 3), 0.75, 2.0, id="(4,3)-alpha=0.75"),
    pytest.param((9,), 0.25, 0.0, id="N=9-gamma=0"),
    pytest.param((2, 5), 0.6, 0.5, id="(2,5)-alpha=0.6-gamma=0.5"),
    pytest.param((6,), 0.1, 3.0, id="N=6-alpha=0.1-gamma=3"),
    pytest.param((3, 2), 0.5, 1.0, id="(3,2)-alpha=0.5-gamma=1"),
]


@pytest.mark.zh("与定义一致")
@pytest.mark.parametrize(("shape", "alpha", "gamma"), CASES)
def test_matches_the_definition(sub, rng, shape, alpha, gamma):
    z = rng.standard_normal(shape) * 3
    y = (np.arange(z.size).reshape(shape) % 2).astype(np.float64)  # both labels present
    y = y[rng.permutation(shape[0])] if len(shape) == 1 else y
    ctx = f"z {z.shape}, alpha={alpha}, gamma={gamma}"
    got, grad = _run(sub, z, y, alpha, gamma, ctx)
    expect_array(got[1], grad, name="dz", context=ctx, atol=1e-12)


@pytest.mark.zh("alpha 与 gamma 取默认值")
def test_defaults(sub, rng):
    z, y = rng.standard_normal(8) * 2, np.array([1.0, 0, 0, 1, 1, 0, 1, 0])
    ctx = f"z {z.shape}, " + t("alpha and gamma left at their defaults (0.25, 2)", "alpha 和 gamma 取默认值（0.25、2）")
    got = expect_tuple(sub(z, y), NAMES, context=ctx)
    loss, grad = _expected(z, y, 0.25, 2.0)
    expect_number(got[0], loss, name="loss", context=ctx)
    expect_array(got[1], grad, name="dz", context=ctx, atol=1e-12)


@pytest.mark.zh("alpha 只乘在正类上")
def test_alpha_weights_the_positive_class(sub):
    """All positives, then all negatives: alpha scales the first, 1 - alpha the second."""
    z = np.array([0.5, -1.5, 2.0])
    for label, weight in ((1.0, 0.8), (0.0, 0.2)):
        y = np.full(3, label)
        ctx = f"z [0.5, -1.5, 2], y = {label:g} " + t("everywhere", "（全部）") + ", alpha=0.8, gamma=2"
        got, grad = _run(sub, z, y, 0.8, 2.0, ctx)
        expect_array(got[1], grad, name="dz", context=ctx, atol=1e-12)
        _, log_pt, q, _ = _elementwise(z, y, 0.8, 2.0)
        expect_number(got[0], weight * float(np.mean(q**2 * -log_pt)), name="loss", context=ctx)


@pytest.mark.zh("极大的 logits（|z| 到 1e4）")
@pytest.mark.parametrize(("alpha", "gamma"), [pytest.param(0.25, 2.0, id="alpha=0.25-gamma=2"),
                                              pytest.param(0.7, 0.5, id="alpha=0.7-gamma=0.5")])
def test_extreme_logits(sub, alpha, gamma):
    """Badly wrong (loss ~ |z|) and very right (loss ~ 0) predictions at |z| = 40, 800 and 1e4, for both labels."""
    z = np.array([40.0, -40.0, 800.0, -800.0, 1e4, -1e4, 40.0, -40.0, 1e4, -1e4, 0.25, -3.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    ctx = (t("z = +-40, +-800, +-1e4 with both labels", "z = ±40、±800、±1e4，两种标签都有")
           + f", alpha={alpha}, gamma={gamma}")
    got, grad = _run(sub, z, y, alpha, gamma, ctx)
    expect_array(got[1], grad, name="dz", context=ctx, atol=1e-12)


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize(("alpha", "gamma"), [pytest.param(0.25, 2.0, id="alpha=0.25-gamma=2"),
                                              pytest.param(0.65, 1.5, id="alpha=0.65-gamma=1.5"),
                                              pytest.param(0.4, 0.0, id="alpha=0.4-gamma=0")])
def test_gradient_finite_differences(sub, rng, alpha, gamma):
    z = rng.standard_normal((5, 4)) * 2
    y = rng.permutation(np.arange(20) % 2).reshape(5, 4).astype(np.float64)
    ctx = f"z {z.shape}, alpha={alpha}, gamma={gamma}"
    got = expect_tuple(sub(z, y, alpha=alpha, gamma=gamma), NAMES, context=ctx)
    expect_grad(got[1], lambda v: np.float64(_expected(v, y, alpha, gamma)[0]), z, np.float64(1.0), name="dz",
                rng=rng, context=ctx)


@pytest.mark.zh("float32 输入得到 float32 梯度")
def test_float32(sub, rng):
    z = (rng.standard_normal(10) * 4).astype(np.float32)
    y = (np.arange(10) % 2).astype(np.float32)
    ctx = t("float32 z", "float32 的 z") + " (10,), alpha=0.3, gamma=2"
    got, grad = _run(sub, z, y, 0.3, 2.0, ctx, rtol=1e-5, atol=1e-6)
    expect_array(got[1], grad.astype(np.float32), name="dz", context=ctx, dtype=np.float32)


@st.composite
def cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=2)))
    return (shape, draw(st.sampled_from([0.1, 0.25, 0.5, 0.9])), draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 4.0])),
            10.0 ** draw(st.integers(-1, 2)), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, c):
    shape, alpha, gamma, scale, seed = c
    r = np.random.default_rng(seed)
    z, y = r.standard_normal(shape) * scale, r.integers(0, 2, shape).astype(np.float64)
    ctx = f"z {z.shape} (scale {scale:g}), alpha={alpha}, gamma={gamma}"
    got, grad = _run(sub, z, y, alpha, gamma, ctx)
    expect_array(got[1], grad, name="dz", context=ctx, atol=1e-12)


def speed_case(rng):
    return (rng.standard_normal((256, 1000)) * 3, rng.integers(0, 2, (256, 1000)).astype(np.float64)), {}
