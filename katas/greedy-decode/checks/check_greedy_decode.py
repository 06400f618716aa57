"""Hidden checks for greedy decoding: the statement's example, eos handling, ties, max_len, long sequences,
trigram models and random tables, against a decoder written here from the table."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_equal, expect_number, expect_tuple, for_all


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
        best = max(range(len(row)), key=lambda t: (row[t], -t))
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


def check_statement_example(sub):
    table = example_table()
    _expect(sub, table, 0, 1, 5, "the example of the statement, max_len 5",
            ([2, 2, 2, 2, 2], math.log(0.6) + 4 * math.log(0.35)))


def check_stops_right_after_eos(sub):
    p = np.full((5, 5), 0.1)
    p[0] = [0.0, 0.1, 0.7, 0.1, 0.1]
    p[2] = [0.0, 0.2, 0.1, 0.6, 0.1]
    p[3] = [0.0, 0.8, 0.1, 0.05, 0.05]
    table = np.log(np.where(p > 0, p, 1e-300))
    _expect(sub, table, 0, 1, 10, "bos -> 2 -> 3 -> eos: the output ends with eos and stops there",
            ([2, 3, 1], math.log(0.7) + math.log(0.6) + math.log(0.8)))


def check_ties_go_to_the_lowest_id(sub):
    table = np.log(np.full((4, 4), 0.25))
    _expect(sub, table, 3, 1, 4, "every token equally likely: argmax takes the lowest id (0), 4 times",
            ([0, 0, 0, 0], 4 * math.log(0.25)))


def check_max_len(sub, rng):
    table = _random_table(rng, 6)
    table[:, 1] = -50.0  # eos practically never chosen
    for max_len in (0, 1, 7):
        _expect(sub, table, 0, 1, max_len, f"eos never likely, max_len {max_len}: exactly {max_len} tokens")


def check_long_sequences_keep_a_log_score(sub, rng):
    table = _random_table(rng, 50, sharp=0.1)
    table[:, 5] = -60.0
    ctx = "V 50, max_len 400, eos (id 5) never chosen: the output's probability is ~1e-500, below float64's range"
    _, score = expect_tuple(sub.harness("run_greedy")(table, 0, 5, 400), ("tokens", "score"), context=ctx)
    if not math.isfinite(score):
        raise CheckFailed(f"{ctx}: score is {score}; add log-probabilities instead of multiplying probabilities")
    _expect(sub, table, 0, 5, 400, ctx)


def check_trigram_model(sub, rng):
    table = _random_table(rng, 5, order=3)
    _expect(sub, table, 0, 1, 12, "a trigram model (the next token depends on the last two)")


@st.composite
def _cases(draw):
    return draw(st.integers(3, 9)), draw(st.sampled_from([2, 3])), draw(st.integers(0, 15)), draw(st.integers(0, 2**31))


def check_random_tables(sub, rng):
    def case(c):
        v, order, max_len, seed = c
        table = _random_table(np.random.default_rng(seed), v, order)
        kind = "bigram" if order == 2 else "trigram"
        _expect(sub, table, 0, 1, max_len, f"random {kind} table, V={v}, max_len {max_len}")

    for_all(rng, _cases(), case, examples=10)
