"""Hidden checks for infonce-clip: the worked example, N = 1, the loss against a loop definition, gradients
by finite differences (with respect to the unnormalised embeddings), tiny temperatures, scale invariance,
float32, random batches."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

NAMES = ("loss", "d_img", "d_txt")


def _loops(img, txt, temperature):
    """The loss written pair by pair in Python floats, each log-sum-exp shifted by its maximum."""
    n = img.shape[0]

    def unit(row):
        norm = math.sqrt(math.fsum(x * x for x in row))
        return [x / norm for x in row]

    u = [unit(row) for row in img.astype(np.float64).tolist()]
    v = [unit(row) for row in txt.astype(np.float64).tolist()]
    s = [[math.fsum(a * b for a, b in zip(u[i], v[j])) / temperature for j in range(n)] for i in range(n)]

    def xent(row, target):
        top = max(row)
        return top + math.log(math.fsum(math.exp(x - top) for x in row)) - row[target]

    i2t = math.fsum(xent(s[i], i) for i in range(n)) / n
    t2i = math.fsum(xent([s[i][j] for i in range(n)], j) for j in range(n)) / n
    return 0.5 * (i2t + t2i)


def _pairs(rng, n, d, dtype=np.float64):
    """Rows at different scales (0.1 to 10) so that forgetting the normalisation shows."""
    img = rng.standard_normal((n, d)) * rng.uniform(0.1, 10.0, (n, 1))
    txt = rng.standard_normal((n, d)) * rng.uniform(0.1, 10.0, (n, 1))
    return img.astype(dtype), txt.astype(dtype)


def _call(impl, img, txt, temperature, ctx, dtype=np.float64):
    got = expect_tuple(impl(img, txt, temperature), NAMES, context=ctx)
    for name, g in zip(NAMES[1:], got[1:]):
        expect_array(g, np.zeros_like(img), name=name, context=ctx, dtype=dtype, rtol=0.0, atol=1e300)
    return got


def _loss_tol(temperature):
    return {"rtol": 1e-9, "atol": 1e-12 / temperature}


def _grad_tol(expected):
    return {"rtol": 1e-7, "atol": 1e-9 * max(1e-3, float(np.max(np.abs(expected))))}


@pytest.mark.zh("题目中的手算例子")
def test_hand_worked_example(sub):
    img, txt = np.array([[3.0, 4.0], [1.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])
    ctx = "img [[3, 4], [1, 0]], txt [[1, 0], [0, 2]], temperature=0.5"
    loss, d_img, d_txt = _call(sub, img, txt, 0.5, ctx)
    expect_number(loss, 1.4987361675697606, name="loss", context=ctx)
    expect_array(d_img, np.array([[-0.1511482672111902, 0.11336120040839263], [0.0, -0.8564077315559034]]),
                 name="d_img", context=ctx, atol=1e-12)
    expect_array(d_txt, np.array([[0.0, -0.5154648564960258], [-0.21359795899099523, 0.0]]),
                 name="d_txt", context=ctx, atol=1e-12)


@pytest.mark.zh("只有一对时损失和梯度为零")
def test_single_pair_gives_zero(sub, rng):
    img, txt = _pairs(rng, 1, 5)
    ctx = t("N=1 (one pair), D=5, temperature=0.1", "N=1（只有一对），D=5，temperature=0.1")
    loss, d_img, d_txt = _call(sub, img, txt, 0.1, ctx)
    expect_number(loss, 0.0, name="loss", context=ctx, atol=1e-12)
    expect_array(d_img, np.zeros((1, 5)), name="d_img", context=ctx, atol=1e-12)
    expect_array(d_txt, np.zeros((1, 5)), name="d_txt", context=ctx, atol=1e-12)


@pytest.mark.zh("损失与逐对的定义一致")
@pytest.mark.parametrize(("n", "d", "temperature"), [
    pytest.param(5, 8, 0.07, id="N=5-D=8-temperature=0.07"),
    pytest.param(9, 3, 1.0, id="N=9-D=3-temperature=1.0"),
    pytest.param(4, 16, 0.5, id="N=4-D=16-temperature=0.5"),
    pytest.param(7, 2, 0.2, id="N=7-D=2-temperature=0.2"),
])
def test_loss_matches_the_definition(sub, rng, n, d, temperature):
    img, txt = _pairs(rng, n, d)
    ctx = f"img {img.shape}, txt {txt.shape}, temperature={temperature}"
    loss = _call(sub, img, txt, temperature, ctx)[0]
    expect_number(loss, _loops(img, txt, temperature), name="loss", context=ctx, **_loss_tol(temperature))


@pytest.mark.zh("梯度与有限差分一致（对归一化之前的嵌入）")
@pytest.mark.parametrize(("n", "d", "temperature"), [
    pytest.param(6, 4, 0.1, id="N=6-D=4-temperature=0.1"),
    pytest.param(3, 7, 1.0, id="N=3-D=7-temperature=1.0"),
    pytest.param(8, 5, 0.3, id="N=8-D=5-temperature=0.3"),
])
def test_gradients_finite_differences(sub, rng, n, d, temperature):
    img, txt = _pairs(rng, n, d)
    ctx = f"img {img.shape}, txt {txt.shape}, temperature={temperature}"
    _, d_img, d_txt = _call(sub, img, txt, temperature, ctx)
    expect_grad(d_img, lambda x: _loops(x, txt, temperature), img, 1.0, name="d_img", rng=rng, context=ctx)
    expect_grad(d_txt, lambda x: _loops(img, x, temperature), txt, 1.0, name="d_txt", rng=rng, context=ctx)


@pytest.mark.zh("极小的 temperature：数值稳定")
def test_tiny_temperature_is_stable(sub, ref, rng):
    img, txt = _pairs(rng, 6, 4)
    ctx = t("temperature=1e-3 (logits up to 1e3)", "temperature=1e-3（logits 可达 1e3）") + f", img {img.shape}"
    loss, d_img, d_txt = _call(sub, img, txt, 1e-3, ctx)
    expect_number(loss, _loops(img, txt, 1e-3), name="loss", context=ctx, **_loss_tol(1e-3))
    _, e_img, e_txt = ref(img, txt, 1e-3)
    expect_array(d_img, e_img, name="d_img", context=ctx, **_grad_tol(e_img))
    expect_array(d_txt, e_txt, name="d_txt", context=ctx, **_grad_tol(e_txt))


@pytest.mark.zh("极小的 temperature：各行、各列的最大值相差很远")
def test_tiny_temperature_rows_far_apart(sub, ref):
    img = np.array([[2.0, 0.0, 0.0], [2.4, 1.8, 0.0], [-1.0, -1.0, 0.2], [0.0, 0.5, 1.0]])
    txt = np.array([[1.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 0.5], [0.6, 0.0, 0.8]])
    ctx = t("temperature=1e-3, img [[2, 0, 0], [2.4, 1.8, 0], [-1, -1, 0.2], [0, 0.5, 1]], "
            "txt [[1, 0, 0], [0, 3, 0], [0, 0, 0.5], [0.6, 0, 0.8]]: logits up to 1000, "
            "row 2's maximum is 140 (860 below the largest logit)",
            "temperature=1e-3，img [[2, 0, 0], [2.4, 1.8, 0], [-1, -1, 0.2], [0, 0.5, 1]]，"
            "txt [[1, 0, 0], [0, 3, 0], [0, 0, 0.5], [0.6, 0, 0.8]]：logits 最大为 1000，"
            "第 2 行的最大值只有 140（比最大的 logit 小 860）")
    loss, d_img, d_txt = _call(sub, img, txt, 1e-3, ctx)
    expect_number(loss, _loops(img, txt, 1e-3), name="loss", context=ctx, **_loss_tol(1e-3))
    _, e_img, e_txt = ref(img, txt, 1e-3)
    expect_array(d_img, e_img, name="d_img", context=ctx, **_grad_tol(e_img))
    expect_array(d_txt, e_txt, name="d_txt", context=ctx, **_grad_tol(e_txt))


@pytest.mark.zh("与嵌入的长度无关")
def test_invariant_to_row_scale(sub, rng):
    img, txt = _pairs(rng, 5, 6)
    c = rng.uniform(0.01, 100.0, (5, 1))
    ctx = f"img {img.shape}, txt {txt.shape}, temperature=0.2, " + t(
        "img rows rescaled by factors 0.01 to 100", "img 的各行乘以 0.01 到 100 之间的系数")
    loss, d_img, _ = _call(sub, img, txt, 0.2, ctx)
    loss2, d_img2, _ = _call(sub, img * c, txt, 0.2, ctx)
    expect_number(loss2, loss, name=t("loss of the rescaled img", "img 缩放后的损失"), context=ctx,
                  **_loss_tol(0.2))
    expect_array(d_img2 * c, d_img, context=ctx, **_grad_tol(d_img),
                 name=t("d_img of the rescaled img, times the factor", "img 缩放后的 d_img 乘以系数"))
    dots = np.sum(d_img * img, axis=1)
    expect_array(dots, np.zeros(5), name=t("row dot products sum(d_img[i] * img[i]) (should be 0)",
                                           "每行的点积 sum(d_img[i] * img[i])（应为 0）"),
                 context=ctx, atol=1e-9 * float(np.max(np.abs(d_img * img))) + 1e-15)


@pytest.mark.zh("float32 输入得到 float32 梯度")
def test_float32_stays_float32(sub, ref, rng):
    img, txt = _pairs(rng, 7, 5, dtype=np.float32)
    ctx = t("float32 inputs", "float32 输入") + f", img {img.shape}, temperature=0.1"
    loss, d_img, d_txt = _call(sub, img, txt, 0.1, ctx, dtype=np.float32)
    expect_number(loss, _loops(img, txt, 0.1), name="loss", context=ctx, rtol=1e-4, atol=1e-5)
    _, e_img, e_txt = ref(img.astype(np.float64), txt.astype(np.float64), 0.1)
    for name, got, want in (("d_img", d_img, e_img), ("d_txt", d_txt, e_txt)):
        expect_array(got, want.astype(np.float32), name=name, context=ctx, dtype=np.float32, rtol=1e-3,
                     atol=1e-4 * float(np.max(np.abs(want))))


@st.composite
def batches(draw):
    return (draw(st.integers(1, 9)), draw(st.integers(2, 10)), draw(st.sampled_from([0.05, 0.1, 0.5, 1.0, 2.0])),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机批次")
@settings(max_examples=8)
@given(c=batches())
def test_random_batches(sub, ref, c):
    n, d, temperature, seed = c
    img, txt = _pairs(np.random.default_rng(seed), n, d)
    ctx = f"img {img.shape}, txt {txt.shape}, temperature={temperature}"
    loss, d_img, d_txt = _call(sub, img, txt, temperature, ctx)
    expect_number(loss, _loops(img, txt, temperature), name="loss", context=ctx, **_loss_tol(temperature))
    _, e_img, e_txt = ref(img, txt, temperature)
    expect_array(d_img, e_img, name="d_img", context=ctx, **_grad_tol(e_img))
    expect_array(d_txt, e_txt, name="d_txt", context=ctx, **_grad_tol(e_txt))


def speed_case(rng):
    img, txt = _pairs(rng, 512, 256)
    return (img, txt, 0.07), {}
