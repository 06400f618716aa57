"""Hidden checks for moe-topk-routing: the worked example, k = 1 and k = E, exact ties, huge logits,
ranking by logits where probabilities underflow, float32, and random routing against a loop definition."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_number, expect_tuple, t

NAMES = ("indices", "gates", "aux_loss")


def _loops(logits, k):
    """The definition token by token, in plain Python floats."""
    t_, e = logits.shape
    counts = [0] * e
    p_sum = [0.0] * e
    indices, gates = [], []
    for row in logits.astype(np.float64).tolist():
        top = max(row)
        ex = [math.exp(v - top) for v in row]
        z = math.fsum(ex)
        probs = [v / z for v in ex]
        order = sorted(range(e), key=lambda j: (-row[j], j))[:k]
        chosen = math.fsum(probs[j] for j in order)
        indices.append(order)
        gates.append([probs[j] / chosen for j in order])
        for j in order:
            counts[j] += 1
        for j in range(e):
            p_sum[j] += probs[j]
    aux = e * math.fsum((counts[j] / (t_ * k)) * (p_sum[j] / t_) for j in range(e))
    return np.array(indices, dtype=np.int64), np.array(gates), aux


def _check(sub, logits, k, ctx, dtype=np.float64, **tol):
    logits = logits.astype(dtype)
    got = expect_tuple(sub(logits, k), NAMES, context=ctx)
    indices, gates, aux = _loops(logits, k)
    expect_array(got[0], indices, name="indices", context=ctx, exact=True)
    expect_array(got[1], gates, name="gates", context=ctx, dtype=dtype, **tol)
    expect_number(got[2], aux, name="aux_loss", context=ctx, **tol)
    return got


@pytest.mark.zh("题目中的手算例子")
def test_hand_worked_example(sub):
    logits = np.array([[2.0, 1.0, 0.0, 1.0], [0.0, 0.0, 3.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    ctx = "logits [[2, 1, 0, 1], [0, 0, 3, 0], [1, 1, 1, 1]], k=2"
    got = expect_tuple(sub(logits, 2), NAMES, context=ctx)
    expect_array(got[0], np.array([[0, 1], [2, 0], [0, 1]]), name="indices", context=ctx, exact=True)
    expect_array(got[1], np.array([[0.7310585786300049, 0.2689414213699951],
                                   [0.9525741268224334, 0.04742587317756678], [0.5, 0.5]]),
                 name="gates", context=ctx)
    expect_number(got[2], 1.0345616932746904, name="aux_loss", context=ctx)


@pytest.mark.zh("k 为 1：Switch 路由")
def test_k_one_is_switch_routing(sub, rng):
    logits = rng.standard_normal((7, 5)) * 2.0
    ctx = t("k=1, logits (7, 5): every gate is 1, f is the top-1 share",
            "k=1，logits (7, 5)：所有门控值都是 1，f 是 top-1 的比例")
    got = _check(sub, logits, 1, ctx)
    expect_array(got[1], np.ones((7, 1)), name="gates", context=ctx)


@pytest.mark.zh("k 等于专家数")
def test_k_equals_number_of_experts(sub, rng):
    logits = rng.standard_normal((3, 6)) * 3.0
    ctx = t("k = E = 6, logits (3, 6): gates are the sorted probabilities, f is uniform so aux_loss = 1",
            "k = E = 6，logits (3, 6)：门控值就是排好序的概率，f 均匀，所以 aux_loss = 1")
    got = _check(sub, logits, 6, ctx)
    expect_number(got[2], 1.0, name="aux_loss", context=ctx)


@pytest.mark.zh("与逐 token 的定义一致")
@pytest.mark.parametrize(("t_", "e", "k"), [
    pytest.param(9, 6, 3, id="T=9-E=6-k=3"),
    pytest.param(5, 8, 2, id="T=5-E=8-k=2"),
    pytest.param(12, 3, 2, id="T=12-E=3-k=2"),
    pytest.param(1, 4, 2, id="T=1-E=4-k=2"),
])
def test_matches_the_definition(sub, rng, t_, e, k):
    logits = rng.standard_normal((t_, e)) * rng.uniform(0.5, 4.0)
    _check(sub, logits, k, f"logits ({t_}, {e}), k={k}")


@pytest.mark.zh("logits 完全相等时取下标小的专家")
def test_exact_ties_go_to_the_lower_index(sub, rng):
    logits = rng.integers(0, 3, size=(10, 7)).astype(np.float64)
    logits[0] = 1.0
    logits[1] = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    logits[2] = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 2.0]
    ctx = t("logits (10, 7) with values in {0, 1, 2} (many exact ties; row 0 all equal, "
            "rows 1 and 2 [0, 1, 1, 0, 1, 1, 1] and [1, 0, 1, 0, 1, 1, 2]), k=3",
            "logits (10, 7)，取值为 {0, 1, 2}（大量完全相等；第 0 行全相等，"
            "第 1、2 行为 [0, 1, 1, 0, 1, 1, 1] 和 [1, 0, 1, 0, 1, 1, 2]），k=3")
    got = _check(sub, logits, 3, ctx)
    expect_array(got[0][:3], np.array([[0, 1, 2], [1, 2, 4], [6, 0, 2]]), name="indices[:3]", context=ctx,
                 exact=True)


@pytest.mark.zh("很大的 logits，各行尺度不同")
def test_huge_logits_rows_at_different_scales(sub, rng):
    scales = np.array([1e4, 1e3, 1.0, 3e3, 10.0])[:, None]
    logits = rng.standard_normal((5, 6)) * scales
    logits[2] += 5e3
    ctx = t("logits (5, 6) with rows of magnitude 1e4, 1e3, 5e3 (offset), 3e3 and 10, k=2",
            "logits (5, 6)，各行量级分别为 1e4、1e3、5e3（整体偏移）、3e3 和 10，k=2")
    _check(sub, logits, 2, ctx)


@pytest.mark.zh("按 logits 排序，即使概率下溢为 0")
def test_rank_by_logits_where_probabilities_underflow(sub):
    logits = np.array([[0.0, -2000.0, -1000.0, -3000.0, -1500.0],
                       [-1200.0, 40.0, -900.0, 41.0, -2500.0]])
    ctx = t("logits [[0, -2000, -1000, -3000, -1500], [-1200, 40, -900, 41, -2500]], k=3: "
            "the third choices have probability 0 yet -1500 ranks above -2000 and -900 above -1200",
            "logits [[0, -2000, -1000, -3000, -1500], [-1200, 40, -900, 41, -2500]]，k=3："
            "第三个选择的概率都是 0，但 -1500 排在 -2000 前，-900 排在 -1200 前")
    got = _check(sub, logits, 3, ctx)
    expect_array(got[0], np.array([[0, 2, 4], [3, 1, 2]]), name="indices", context=ctx, exact=True)


@pytest.mark.zh("float32 输入得到 float32 门控值")
def test_float32_gates_stay_float32(sub, rng):
    logits = rng.standard_normal((8, 5)) * 2.0
    ctx = t("float32 logits (8, 5), k=2", "float32 logits (8, 5)，k=2")
    _check(sub, logits, 2, ctx, dtype=np.float32, rtol=1e-5, atol=1e-6)


@st.composite
def routing_cases(draw):
    e = draw(st.integers(2, 9))
    return (draw(st.integers(1, 12)), e, draw(st.integers(1, e)), draw(st.sampled_from([0.1, 1.0, 5.0, 100.0])),
            draw(st.booleans()), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机路由用例")
@settings(max_examples=10)
@given(c=routing_cases())
def test_random_routing(sub, c):
    t_, e, k, scale, integer, seed = c
    r = np.random.default_rng(seed)
    logits = r.integers(-2, 3, size=(t_, e)).astype(np.float64) if integer else r.standard_normal((t_, e)) * scale
    kind = t("integer logits (ties)", "整数 logits（有并列）") if integer else t(f"scale {scale}", f"尺度 {scale}")
    _check(sub, logits, k, f"logits ({t_}, {e}), k={k}, " + kind)


def speed_case(rng):
    return (rng.standard_normal((4096, 64)), 2), {}
