"""Hidden checks for greedy decoding: the statement's example, eos handling, ties, max_len, long sequences,
trigram models, other bos/eos ids and random tables, against a decoder written here from the table."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_equal, expect_number, expect_tuple, t


def example_table():
    p = np.array([[0.0, 0.0, 0.6, 0.4], [0.25] * 4, [0.0, 0.3, 0.35, 0.35], [0.0, 0.9, 0.05, 0.05]])
    with np.errstate(divide="ignore"):
        return np.log(p)


def _lookup(table, seq):
    if table.ndim == 2:
        return table[seq[-1]]
    return table[seq[-2] if len(seq) > 1 else seq[-1], seq[-1]]


def _greedy(table, bos, eos, max_len):
    seq, score = [bos], 0.0
    while len(seq) - 1 < max_len:
        row = _lookup(table, seq)
        best = max(range(len(row)), key=lambda k: (row[k], -k))
        seq.append(best)
        score += float(row[best])
        if best == eos:
            break
    return seq[1:], score


def _random_table(rng, v, order=2, sharp=2.0):
    logits = rng.standard_normal((v,) * order) * sharp
    return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


def _expect(sub, table, bos, eos, max_len, context, expected=None):
    tokens, score = expect_tuple(sub.harness("run_greedy")(table, bos, eos, max_len), ("tokens", "score"),
                                 context=context)
    want_tokens, want_score = expected if expected is not None else _greedy(table, bos, eos, max_len)
    expect_equal(tokens, want_tokens, name="tokens", context=context)
    expect_number(score, want_score, name="score", context=context)


@pytest.mark.zh("题目中的例子")
def test_statement_example(sub):
    table = example_table()
    _expect(sub, table, 0, 1, 5, t("the example of the statement, max_len 5", "题目中的例子，max_len 5"),
            ([2, 2, 2, 2, 2], math.log(0.6) + 4 * math.log(0.35)))


@pytest.mark.zh("生成 eos 后立即停止")
def test_stops_right_after_eos(sub):
    p = np.full((5, 5), 0.1)
    p[0] = [0.0, 0.1, 0.7, 0.1, 0.1]
    p[2] = [0.0, 0.2, 0.1, 0.6, 0.1]
    p[3] = [0.0, 0.8, 0.1, 0.05, 0.05]
    table = np.log(np.where(p > 0, p, 1e-300))
    _expect(sub, table, 0, 1, 10, t("bos -> 2 -> 3 -> eos: the output ends with eos and stops there",
                                    "bos -> 2 -> 3 -> eos：输出以 eos 结尾并在那里停止"),
            ([2, 3, 1], math.log(0.7) + math.log(0.6) + math.log(0.8)))


@pytest.mark.zh("并列时取最小的 id")
def test_ties_go_to_the_lowest_id(sub):
    table = np.log(np.full((4, 4), 0.25))
    _expect(sub, table, 3, 1, 4, t("every token equally likely: argmax takes the lowest id (0), 4 times",
                                   "所有词元概率相同：argmax 取最小的 id（0），共 4 次"),
            ([0, 0, 0, 0], 4 * math.log(0.25)))


@pytest.mark.zh("max_len")
@pytest.mark.parametrize("max_len", [pytest.param(0, id="max_len=0"), pytest.param(1, id="max_len=1"),
                                     pytest.param(7, id="max_len=7")])
def test_max_len(sub, rng, max_len):
    table = _random_table(rng, 6)
    table[:, 1] = -50.0  # eos practically never chosen
    _expect(sub, table, 0, 1, max_len, t(f"eos never likely, max_len {max_len}: exactly {max_len} tokens",
                                         f"eos 几乎不可能出现，max_len {max_len}：恰好 {max_len} 个词元"))


@pytest.mark.zh("长序列用对数分数")
def test_long_sequences_keep_a_log_score(sub, rng):
    table = _random_table(rng, 50, sharp=0.1)
    table[:, 5] = -60.0
    ctx = t("V 50, max_len 400, eos (id 5) never chosen: the output's probability is ~1e-500, below float64's range",
            "V 50，max_len 400，eos（id 5）从不被选中：输出的概率约为 1e-500，低于 float64 的范围")
    _, score = expect_tuple(sub.harness("run_greedy")(table, 0, 5, 400), ("tokens", "score"), context=ctx)
    if not math.isfinite(score):
        raise CheckFailed(ctx + t(f": score is {score}; add log-probabilities instead of multiplying probabilities",
                                  f"：score 为 {score}；应把对数概率相加，而不是把概率相乘"))
    _expect(sub, table, 0, 5, 400, ctx)


@pytest.mark.zh("三元模型")
def test_trigram_model(sub, rng):
    table = _random_table(rng, 5, order=3)
    _expect(sub, table, 0, 1, 12, t("a trigram model (the next token depends on the last two)",
                                    "三元模型（下一个词元取决于最后两个）"))


@pytest.mark.zh("每次的前缀都以 bos 开头")
def test_every_prefix_starts_with_bos(sub):
    # trigram, bos = 3, eos = 0: step 2 must read table[bos, 2]; a prefix without bos reads table[2, 2] (eos)
    p = np.full((4, 4, 4), 0.1)
    p[:, :, 0] = 0.05  # eos unlikely by default
    p[3, 3] = [0.1, 0.1, 0.7, 0.1]  # prefix [3]: 2
    p[3, 2] = [0.1, 0.7, 0.1, 0.1]  # prefix [3, 2]: 1
    p[2, 2] = [0.7, 0.1, 0.1, 0.1]  # a prefix [2] would read this row: eos
    p[2, 1] = [0.7, 0.1, 0.1, 0.1]  # prefix [3, 2, 1]: eos
    table = np.log(p)
    ctx = t("trigram model, bos = 3, eos = 0: the prefixes are [3], [3, 2], [3, 2, 1]",
            "三元模型，bos = 3，eos = 0：各步的前缀依次为 [3]、[3, 2]、[3, 2, 1]")
    _expect(sub, table, 3, 0, 6, ctx, ([2, 1, 0], 3 * math.log(0.7)))


@pytest.mark.zh("其他的 bos 和 eos")
def test_other_bos_and_eos_ids(sub):
    # bigram, bos = 4, eos = 2: the first step reads row 4, not row 0
    p = np.full((5, 5), 0.15)
    p[4] = [0.1, 0.1, 0.1, 0.6, 0.1]
    p[3] = [0.6, 0.1, 0.1, 0.1, 0.1]
    p[0] = [0.1, 0.1, 0.6, 0.1, 0.1]
    p[1] = [0.1, 0.6, 0.1, 0.1, 0.1]
    table = np.log(p)
    ctx = t("bigram model, bos = 4, eos = 2: 4 -> 3 -> 0 -> eos", "二元模型，bos = 4，eos = 2：4 -> 3 -> 0 -> eos")
    _expect(sub, table, 4, 2, 8, ctx, ([3, 0, 2], 3 * math.log(0.6)))


@pytest.mark.zh("随机概率表")
@given(v=st.integers(3, 9), order=st.sampled_from([2, 3]), max_len=st.integers(0, 15), seed=st.integers(0, 2**31))
def test_random_tables(sub, v, order, max_len, seed):
    table = _random_table(np.random.default_rng(seed), v, order)
    kind = t("bigram", "二元") if order == 2 else t("trigram", "三元")
    _expect(sub, table, 0, 1, max_len, t(f"random {kind} table, V={v}, max_len {max_len}",
                                         f"随机{kind}概率表，V={v}，max_len {max_len}"))
