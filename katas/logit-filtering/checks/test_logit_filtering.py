"""Hidden checks for logit filtering: hand rows, a per-row scalar derivation, order of operations, the top-p
rule (crossing token kept, top token kept), top-k ties, top_k >= V, batches, random rows kept off the top-p
boundaries."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t

EXAMPLE = np.array([[2.0, 1.0, 0.0, -1.0]])


def _scalar(row, temperature, top_k, top_p):
    """One row, with Python lists: the three steps written out directly."""
    z = [v / temperature for v in row]
    keep = [True] * len(z)
    if top_k is not None and top_k < len(z):
        kth = sorted(z, reverse=True)[top_k - 1]
        keep = [v >= kth for v in z]
    if top_p is not None:
        idx = sorted((i for i in range(len(z)) if keep[i]), key=lambda i: -z[i])
        top = z[idx[0]]
        total = sum(math.exp(z[i] - top) for i in idx)
        mass = 0.0
        for rank, i in enumerate(idx):
            keep[i] = rank == 0 or mass < top_p
            mass += math.exp(z[i] - top) / total
    return np.array([v if k else -np.inf for v, k in zip(z, keep)])


def _expect(got, expected, context):
    if type(got) is not np.ndarray or got.shape != expected.shape:
        raise CheckFailed(context + ": " + t(
            f"expected an array of shape {expected.shape}, got {getattr(got, 'shape', type(got).__name__)}",
            f"应为形状 {expected.shape} 的数组，实际得到 {getattr(got, 'shape', type(got).__name__)}"))
    removed_exp, removed_got = np.isneginf(expected), np.isneginf(got)
    if np.any(removed_exp != removed_got):
        i = tuple(int(v) for v in np.argwhere(removed_exp != removed_got)[0])
        kept = np.flatnonzero(~removed_exp.reshape(-1)).tolist()[:12]
        if removed_exp[i]:
            what = t("should be removed (-inf)", "应被去掉（-inf）")
        else:
            what = t(f"should be kept (expected {expected[i]:.6g})", f"应被保留（应为 {expected[i]:.6g}）")
        raise CheckFailed(context + ": " + t(f"token {i} {what}, got {got[i]:.6g}; kept set expected {kept}",
                                             f"词元 {i} {what}，实际为 {got[i]:.6g}；应保留的集合为 {kept}"))
    expect_array(np.where(removed_got, 0.0, got), np.where(removed_exp, 0.0, expected), name="kept logits",
                 context=context + t(" (kept tokens carry logits / temperature)",
                                     "（保留的词元值为 logits / temperature）"))


def _call(impl, logits, temperature=1.0, top_k=None, top_p=None):
    return impl(logits, temperature=temperature, top_k=top_k, top_p=top_p)


@pytest.mark.zh("题目中的例子")
@pytest.mark.parametrize(("kwargs", "expected"), [
    pytest.param({"top_k": 2}, [2, 1, -np.inf, -np.inf], id="top_k=2"),
    pytest.param({"top_p": 0.7}, [2, 1, -np.inf, -np.inf], id="top_p=0.7"),
    pytest.param({"top_p": 0.9}, [2, 1, 0, -np.inf], id="top_p=0.9"),
    pytest.param({"temperature": 0.5, "top_p": 0.7}, [4, -np.inf, -np.inf, -np.inf], id="temperature=0.5-top_p=0.7"),
    pytest.param({"temperature": 2.0, "top_p": 0.7}, [1, 0.5, -np.inf, -np.inf], id="temperature=2-top_p=0.7"),
    pytest.param({}, [2, 1, 0, -1], id="no-filtering"),
])
def test_hand_computed_example(sub, kwargs, expected):
    _expect(_call(sub, EXAMPLE, **kwargs), np.array([expected], dtype=float),
            f"logits [[2, 1, 0, -1]], {kwargs or t('no filtering', '不过滤')}")


@pytest.mark.zh("概率最大的词元总会保留")
def test_top_token_always_kept(sub, rng):
    logits = rng.standard_normal((3, 9))
    expected = np.stack([_scalar(r, 1.0, None, 0.01) for r in logits])
    _expect(_call(sub, logits, top_p=0.01), expected, t("top_p = 0.01: only each row's most likely token remains",
                                                        "top_p = 0.01：每行只剩概率最大的词元"))


@pytest.mark.zh("top-p 作用在 top-k 剩下的分布上")
def test_top_p_works_on_what_top_k_left(sub):
    logits = np.array([[3.0, 2.9, 2.8, 0.0, -0.5, -1.0, -2.0]])
    # after top-3 the survivors have probabilities ~0.367, 0.332, 0.301 (the first two hold 0.699 >= 0.685:
    # two kept); over all seven tokens (wrongly) the first two hold only 0.673 < 0.685 and a third is kept
    expected = _scalar(logits[0], 1.0, 3, 0.685)[None]
    _expect(_call(sub, logits, top_k=3, top_p=0.685), expected,
            t("logits [3, 2.9, 2.8, 0, -0.5, -1, -2], top_k 3 then top_p 0.685 (renormalised over the top 3)",
              "logits [3, 2.9, 2.8, 0, -0.5, -1, -2]，先 top_k 3 再 top_p 0.685（在前 3 个上重新归一化）"))


@pytest.mark.zh("先做温度缩放")
@pytest.mark.parametrize("temperature", [pytest.param(0.3, id="temperature=0.3"),
                                         pytest.param(3.0, id="temperature=3")])
def test_temperature_comes_first(sub, temperature):
    logits = np.array([[1.0, 0.2, -0.3, -1.5, 0.7]])
    _expect(_call(sub, logits, temperature=temperature, top_p=0.75),
            _scalar(logits[0], temperature, None, 0.75)[None],
            f"logits [1, 0.2, -0.3, -1.5, 0.7], temperature {temperature}, top_p 0.75 " +
            t("(nucleus of the scaled distribution)", "（缩放后分布的核）"))


@pytest.mark.zh("每行单独处理")
@pytest.mark.parametrize("kwargs", [pytest.param({"top_k": 4}, id="top_k=4"),
                                    pytest.param({"top_p": 0.8}, id="top_p=0.8"),
                                    pytest.param({"top_k": 6, "top_p": 0.5, "temperature": 1.3},
                                                 id="top_k=6-top_p=0.5-temperature=1.3")])
def test_rows_are_independent(sub, rng, kwargs):
    logits = np.stack([rng.permutation(np.linspace(-3, 3, 11)) * s for s in (0.5, 1.0, 4.0, 10.0)])
    expected = np.stack([_scalar(r, kwargs.get("temperature", 1.0), kwargs.get("top_k"), kwargs.get("top_p"))
                         for r in logits])
    _expect(_call(sub, logits, **kwargs), expected,
            t(f"4 rows at different scales, shuffled orders, {kwargs}", f"4 行尺度不同、顺序打乱，{kwargs}"))


@pytest.mark.zh("top_k 的边界")
@pytest.mark.parametrize("top_k", [pytest.param(6, id="top_k=V"), pytest.param(10, id="top_k>V"),
                                   pytest.param(1, id="top_k=1")])
def test_top_k_edges(sub, rng, top_k):
    logits = rng.standard_normal((2, 6))
    expected = np.stack([_scalar(r, 1.0, top_k, None) for r in logits])
    what = {6: t("top_k equal to V keeps every token", "top_k 等于 V 时保留所有词元"),
            10: t("top_k larger than V keeps every token", "top_k 大于 V 时保留所有词元"),
            1: t("top_k 1 is greedy: one token per row", "top_k 为 1 即贪心：每行一个词元")}[top_k]
    _expect(_call(sub, logits, top_k=top_k), expected, f"V = 6, top_k = {top_k}: {what}")


@pytest.mark.zh("top-k 遇到并列")
@pytest.mark.parametrize("temperature", [pytest.param(1.0, id="temperature=1"),
                                         pytest.param(0.7, id="temperature=0.7")])
def test_top_k_keeps_every_token_tied_with_the_kth(sub, temperature):
    logits = np.array([[3.0, 1.0, -2.0, 1.0, 0.0, 1.0], [0.5, 0.5, 0.5, 2.0, -1.0, 0.5]])
    expected = np.stack([_scalar(r, temperature, 2, None) for r in logits])
    _expect(_call(sub, logits, temperature=temperature, top_k=2), expected,
            t(f"top_k 2, temperature {temperature}: the 2nd largest value is tied three or four times; every token "
              "equal to it stays (z >= the k-th largest)",
              f"top_k 2，temperature {temperature}：第 2 大的值有三到四个并列；与它相等的词元都保留"
              "（z >= 第 k 大的值）"))


def _far_from_boundaries(z, top_p):
    """True when no cumulative mass is within 1e-6 of p and the logits have no near-ties."""
    s = np.sort(z)[::-1]
    if np.min(np.abs(np.diff(s))) < 1e-6:
        return False
    p = np.exp(s - s[0])
    p /= p.sum()
    return top_p is None or np.min(np.abs(np.cumsum(p)[:-1] - top_p), initial=1.0) > 1e-6


@pytest.mark.zh("随机批次")
@settings(max_examples=12)
@given(n=st.integers(1, 4), v=st.integers(2, 40), temperature=st.sampled_from([0.5, 1.0, 1.7]),
       top_k=st.one_of(st.none(), st.integers(1, 12)), top_p=st.one_of(st.none(), st.sampled_from([0.3, 0.6, 0.9])),
       seed=st.integers(0, 2**31))
def test_random_batches(sub, n, v, temperature, top_k, top_p, seed):
    r = np.random.default_rng(seed)
    logits = r.standard_normal((n, v)) * 3
    for _ in range(100):  # redraw rows that sit on a boundary (rare)
        if all(_far_from_boundaries(row / temperature, top_p) for row in logits):
            break
        logits = r.standard_normal((n, v)) * 3
    expected = np.stack([_scalar(row, temperature, top_k, top_p) for row in logits])
    _expect(_call(sub, logits, temperature=temperature, top_k=top_k, top_p=top_p), expected,
            f"logits ({n}, {v}), temperature {temperature}, top_k {top_k}, top_p {top_p}")


def speed_case(rng):
    return (rng.standard_normal((64, 32000)) * 3,), {"temperature": 0.8, "top_k": 50, "top_p": 0.9}
