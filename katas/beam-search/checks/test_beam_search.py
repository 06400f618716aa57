"""Hidden checks for beam search: the statement's example, greedy at width 1, exhaustive search at full width,
finished hypotheses competing, live hypotheses at max_len, exact ties, other bos/eos ids, long outputs,
trigram models, random tables against the reference."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_equal, expect_number, expect_tuple, t


def example_table():
    p = np.array([[1e-12, 1e-12, 0.6, 0.4], [0.25] * 4, [1e-12, 0.3, 0.35, 0.35], [1e-12, 0.9, 0.05, 0.05]])
    return np.log(p / p.sum(axis=1, keepdims=True))


def _lookup(table, seq):
    if table.ndim == 2:
        return table[seq[-1]]
    return table[seq[-2] if len(seq) > 1 else seq[-1], seq[-1]]


def _score(table, bos, tokens):
    seq, total = [bos], 0.0
    for tok in tokens:
        total += float(_lookup(table, seq)[tok])
        seq.append(tok)
    return total


def _exhaustive(table, bos, eos, max_len):
    """Every sequence that ends at eos or reaches max_len, scored directly: the true best."""
    v = table.shape[-1]
    best = None
    for length in range(1, max_len + 1):
        for tokens in itertools.product(range(v), repeat=length):
            if eos in tokens[:-1] or (length < max_len and tokens[-1] != eos):
                continue
            cand = (-_score(table, bos, list(tokens)), list(tokens))
            best = cand if best is None or cand < best else best
    return best[1], -best[0]


def _greedy(table, bos, eos, max_len):
    seq, score = [bos], 0.0
    while len(seq) - 1 < max_len:
        row = _lookup(table, seq)
        k = max(range(len(row)), key=lambda i: (row[i], -i))
        seq.append(k)
        score += float(row[k])
        if k == eos:
            break
    return seq[1:], score


def _random_table(rng, v, order=2, sharp=2.0):
    logits = rng.standard_normal((v,) * order) * sharp
    return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


def _normalised(p):
    return np.log(p / p.sum(axis=-1, keepdims=True))


def _run(sub, table, bos, eos, beam, max_len, context):
    return expect_tuple(sub.harness("run_beam")(table, bos, eos, beam, max_len), ("tokens", "score"), context=context)


def _expect(got, expected, context):
    expect_equal(got[0], expected[0], name="tokens", context=context)
    expect_number(got[1], expected[1], name="score", context=context)


@pytest.mark.zh("题目中的例子")
@pytest.mark.parametrize("beam", [pytest.param(2, id="beam=2"), pytest.param(1, id="beam=1")])
def test_statement_example(sub, beam):
    table = example_table()
    ctx = t(f"the example of the statement, beam {beam}, max_len 5", f"题目中的例子，束宽 {beam}，max_len 5")
    want = ([3, 1], _score(table, 0, [3, 1])) if beam == 2 else _greedy(table, 0, 1, 5)
    _expect(_run(sub, table, 0, 1, beam, 5, ctx), want, ctx)


@pytest.mark.zh("按总分排序")
def test_ranks_by_total_score(sub):
    # after "b" the next token looks great locally (0.5, 0.49), but "b" itself had only 0.1
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 1e-12, 0.9, 0.1]
    p[2] = [1e-12, 0.34, 0.33, 0.33]
    p[3] = [1e-12, 0.5, 0.49, 0.01]
    table = _normalised(p)
    ctx = t("beam 2: extensions are ranked by their total log-probability, not by the last token's",
            "束宽 2：扩展按总对数概率排序，而不是按最后一个词元的对数概率")
    _expect(_run(sub, table, 0, 1, 2, 3, ctx), _exhaustive(table, 0, 1, 3), ctx)


@pytest.mark.zh("不做长度归一化")
def test_no_length_normalisation(sub):
    # "eos" right away scores ln 0.5 = -0.693; "a eos" scores ln 0.45 = -0.799 in total but -0.399 per token:
    # by total log-probability (no length normalisation) the one-token answer wins
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 0.5, 0.5 - 2e-12, 1e-12]
    p[2] = [1e-12, 0.9, 0.05, 0.05]
    p[3] = [1e-12, 0.5, 0.25, 0.25]
    table = _normalised(p)
    ctx = t("beam 2: [eos] (total ln 0.5) against [a, eos] (total ln 0.45, better per token); totals decide",
            "束宽 2：[eos]（总分 ln 0.5）对 [a, eos]（总分 ln 0.45，按每个词元算更好）；以总分为准")
    _expect(_run(sub, table, 0, 1, 2, 3, ctx), _exhaustive(table, 0, 1, 3), ctx)


@pytest.mark.zh("束宽 1 即贪心")
@pytest.mark.parametrize("order", [pytest.param(2, id="bigram"), pytest.param(3, id="trigram")])
def test_width_one_is_greedy(sub, rng, order):
    table = _random_table(rng, 6, order)
    kind = ("bi" if order == 2 else "tri") + "gram"
    ctx = t(f"beam 1 on a random {kind} table, max_len 8: greedy decoding",
            f"束宽 1，随机{'二' if order == 2 else '三'}元概率表，max_len 8：即贪心解码")
    _expect(_run(sub, table, 0, 1, 1, 8, ctx), _greedy(table, 0, 1, 8), ctx)


@pytest.mark.zh("束足够宽即穷举")
@pytest.mark.parametrize(("v", "max_len", "order"), [pytest.param(3, 4, 2, id="V=3-max_len=4-bigram"),
                                                     pytest.param(4, 3, 2, id="V=4-max_len=3-bigram"),
                                                     pytest.param(3, 3, 3, id="V=3-max_len=3-trigram")])
def test_full_width_is_exhaustive(sub, rng, v, max_len, order):
    table = _random_table(rng, v, order, sharp=1.0)
    width = v ** max_len
    ctx = t(f"V={v}, max_len {max_len}, beam {width} (every prefix fits): the exact best sequence",
            f"V={v}，max_len {max_len}，束宽 {width}（所有前缀都放得下）：精确的最佳序列")
    _expect(_run(sub, table, 0, 1, width, max_len, ctx), _exhaustive(table, 0, 1, max_len), ctx)


@pytest.mark.zh("已完成的假设参与竞争")
def test_finished_hypotheses_compete(sub):
    # "a eos" finishes at step 2 with ln(0.5 * 0.6); the live "b ..." branch looks better at step 1 but
    # every continuation of it ends lower, so the early finished hypothesis must win
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 1e-12, 0.5, 0.5 - 2e-12]
    p[2] = [1e-12, 0.6, 0.2, 0.2]
    p[3] = [1e-12, 0.1, 0.45, 0.45]
    table = _normalised(p)
    ctx = t("a short hypothesis finishes early and stays the best while longer ones keep losing probability",
            "一个短假设较早完成并一直保持最佳，更长的假设概率不断下降")
    _expect(_run(sub, table, 0, 1, 2, 6, ctx), _exhaustive(table, 0, 1, 6), ctx)


@pytest.mark.zh("达到 max_len 时活跃假设也参与竞争")
def test_live_hypotheses_count_at_max_len(sub):
    # [eos] finishes at step 1 with ln 0.2; "a a" is still live at max_len 2 with ln(0.7 * 0.9) = ln 0.63:
    # after the loop the live hypotheses count as finished, and "a a" wins
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 0.2, 0.7, 0.1]
    p[2] = [1e-12, 0.05, 0.9, 0.05]
    p[3] = [1e-12, 0.1, 0.45, 0.45]
    table = _normalised(p)
    ctx = t("beam 2, max_len 2: [eos] finished with ln 0.2, [a, a] still live with ln 0.63: the live one wins",
            "束宽 2，max_len 2：[eos] 已完成，分数 ln 0.2；[a, a] 仍活跃，分数 ln 0.63：活跃的胜出")
    _expect(_run(sub, table, 0, 1, 2, 2, ctx), ([2, 2], _score(table, 0, [2, 2])), ctx)


@pytest.mark.zh("分数完全相同时取字典序较小的")
def test_exact_ties_go_to_the_smaller_token_list(sub):
    # [3, eos] = ln 0.5 + ln 0.25 and [2, eos] = ln 0.25 + ln 0.5 are exactly equal floats; [3] ranks above [2]
    # after step 1, so an order-preserving sort by score alone returns [3, eos]; the rule says [2, eos]
    v = 8
    p = np.full((v, v), 1.0 / v)
    p[0] = [0.25 / 6] * v
    p[0, 3], p[0, 2] = 0.5, 0.25
    p[3] = [0.125] * v
    p[3, 1], p[3, 0] = 0.25, 0.0
    p[2] = [0.5 / 6] * v
    p[2, 1], p[2, 0] = 0.5, 0.0
    with np.errstate(divide="ignore"):
        table = np.log(p)
    ctx = t("beam 2, max_len 3: [2, eos] and [3, eos] tie exactly at ln 0.125; ties go to the smaller list [2, 1]",
            "束宽 2，max_len 3：[2, eos] 与 [3, eos] 的分数都恰好是 ln 0.125；并列时取字典序较小的 [2, 1]")
    _expect(_run(sub, table, 0, 1, 2, 3, ctx), ([2, 1], math.log(0.5) + math.log(0.25)), ctx)


@pytest.mark.zh("其他的 bos 和 eos")
def test_other_bos_and_eos_ids(sub):
    # trigram, bos = 4, eos = 2: every prefix starts with bos (step 2 reads table[4, t1], not table[t1, t1])
    table = _random_table(np.random.default_rng(4), 5, order=3, sharp=1.5)
    ctx = t("trigram model, V = 5, bos = 4, eos = 2, beam 3, max_len 4",
            "三元模型，V = 5，bos = 4，eos = 2，束宽 3，max_len 4")
    _expect(_run(sub, table, 4, 2, 3, 4, ctx), _exhaustive(table, 4, 2, 4), ctx)


@pytest.mark.zh("长输出用对数分数")
def test_long_outputs_keep_log_scores(sub, rng):
    table = _random_table(rng, 40, sharp=0.1)
    table[:, 1] = -80.0
    ctx = t("V 40, max_len 250, eos never likely, beam 3: probabilities near 1e-400, below float64's range",
            "V 40，max_len 250，eos 几乎不可能，束宽 3：概率约为 1e-400，低于 float64 的范围")
    tokens, score = _run(sub, table, 0, 1, 3, 250, ctx)
    if not math.isfinite(score) or len(tokens) != 250:
        raise CheckFailed(ctx + t(f": got {len(tokens)} tokens with score {score}; expected 250 tokens and a finite "
                                  "log-probability",
                                  f"：得到 {len(tokens)} 个词元，分数为 {score}；应为 250 个词元和一个有限的对数概率"))
    expect_number(score, _score(table, 0, list(tokens)), name="score",
                  context=ctx + t(" (the sum over your tokens)", "（按你的词元求和）"))


@pytest.mark.zh("随机概率表")
@given(v=st.integers(3, 7), order=st.sampled_from([2, 3]), beam=st.integers(1, 4), max_len=st.integers(1, 6),
       seed=st.integers(0, 2**31))
def test_random_tables(sub, ref, v, order, beam, max_len, seed):
    table = _random_table(np.random.default_rng(seed), v, order)
    kind = ("bi" if order == 2 else "tri") + "gram"
    ctx = f"{kind}, V={v}, beam {beam}, max_len {max_len}"
    _expect(_run(sub, table, 0, 1, beam, max_len, ctx), ref.harness("run_beam")(table, 0, 1, beam, max_len), ctx)
