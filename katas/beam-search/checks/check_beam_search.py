"""Hidden checks for beam search: the statement's example, greedy at width 1, exhaustive search at full width,
finished hypotheses competing, long outputs, trigram models, random tables against the reference."""

import itertools
import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_equal, expect_number, expect_tuple, for_all


def example_table():
    p = np.array([[1e-12, 1e-12, 0.6, 0.4], [0.25] * 4, [1e-12, 0.3, 0.35, 0.35], [1e-12, 0.9, 0.05, 0.05]])
    return np.log(p / p.sum(axis=1, keepdims=True))


def _lookup(table, seq):
    if table.ndim == 2:
        return table[seq[-1]]
    return table[seq[-2] if len(seq) > 1 else seq[-1], seq[-1]]


def _score(table, bos, tokens):
    seq, total = [bos], 0.0
    for t in tokens:
        total += float(_lookup(table, seq)[t])
        seq.append(t)
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
        t = max(range(len(row)), key=lambda i: (row[i], -i))
        seq.append(t)
        score += float(row[t])
        if t == eos:
            break
    return seq[1:], score


def _random_table(rng, v, order=2, sharp=2.0):
    logits = rng.standard_normal((v,) * order) * sharp
    return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


def _run(sub, table, bos, eos, beam, max_len, context):
    return expect_tuple(sub.harness("run_beam")(table, bos, eos, beam, max_len), ("tokens", "score"), context=context)


def _expect(got, expected, context):
    expect_equal(got[0], expected[0], name="tokens", context=context)
    expect_number(got[1], expected[1], name="score", context=context)


def check_statement_example(sub):
    table = example_table()
    _expect(_run(sub, table, 0, 1, 2, 5, "statement example, beam 2"), ([3, 1], _score(table, 0, [3, 1])),
            "the example of the statement, beam 2, max_len 5")
    _expect(_run(sub, table, 0, 1, 1, 5, "statement example, beam 1"), _greedy(table, 0, 1, 5),
            "the example of the statement, beam 1 (greedy), max_len 5")


def check_ranks_by_total_score(sub):
    # after "b" the next token looks great locally (0.5, 0.49), but "b" itself had only 0.1
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 1e-12, 0.9, 0.1]
    p[2] = [1e-12, 0.34, 0.33, 0.33]
    p[3] = [1e-12, 0.5, 0.49, 0.01]
    table = np.log(p / p.sum(axis=1, keepdims=True))
    ctx = "beam 2: extensions are ranked by their total log-probability, not by the last token's"
    _expect(_run(sub, table, 0, 1, 2, 3, ctx), _exhaustive(table, 0, 1, 3), ctx)


def check_no_length_normalisation(sub):
    # "eos" right away scores ln 0.5 = -0.693; "a eos" scores ln 0.45 = -0.799 in total but -0.399 per token:
    # by total log-probability (no length normalisation) the one-token answer wins
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 0.5, 0.5 - 2e-12, 1e-12]
    p[2] = [1e-12, 0.9, 0.05, 0.05]
    p[3] = [1e-12, 0.5, 0.25, 0.25]
    table = np.log(p / p.sum(axis=1, keepdims=True))
    ctx = "beam 2: [eos] (total ln 0.5) against [a, eos] (total ln 0.45, better per token); totals decide"
    _expect(_run(sub, table, 0, 1, 2, 3, ctx), _exhaustive(table, 0, 1, 3), ctx)


def check_width_one_is_greedy(sub, rng):
    for order in (2, 3):
        table = _random_table(rng, 6, order)
        ctx = f"beam 1 on a random {'bi' if order == 2 else 'tri'}gram table, max_len 8: greedy decoding"
        _expect(_run(sub, table, 0, 1, 1, 8, ctx), _greedy(table, 0, 1, 8), ctx)


def check_full_width_is_exhaustive(sub, rng):
    for v, max_len, order in ((3, 4, 2), (4, 3, 2), (3, 3, 3)):
        table = _random_table(rng, v, order, sharp=1.0)
        width = v ** max_len
        ctx = f"V={v}, max_len {max_len}, beam {width} (every prefix fits): the exact best sequence"
        _expect(_run(sub, table, 0, 1, width, max_len, ctx), _exhaustive(table, 0, 1, max_len), ctx)


def check_finished_hypotheses_compete(sub):
    # "a eos" finishes at step 2 with ln(0.5 * 0.6); the live "b ..." branch looks better at step 1 but
    # every continuation of it ends lower, so the early finished hypothesis must win
    p = np.full((4, 4), 1e-12)
    p[0] = [1e-12, 1e-12, 0.5, 0.5 - 2e-12]
    p[2] = [1e-12, 0.6, 0.2, 0.2]
    p[3] = [1e-12, 0.1, 0.45, 0.45]
    table = np.log(p / p.sum(axis=1, keepdims=True))
    ctx = "a short hypothesis finishes early and stays the best while longer ones keep losing probability"
    _expect(_run(sub, table, 0, 1, 2, 6, ctx), _exhaustive(table, 0, 1, 6), ctx)


def check_long_outputs_keep_log_scores(sub, rng):
    table = _random_table(rng, 40, sharp=0.1)
    table[:, 1] = -80.0
    ctx = "V 40, max_len 250, eos never likely, beam 3: probabilities near 1e-400, below float64's range"
    tokens, score = _run(sub, table, 0, 1, 3, 250, ctx)
    if not math.isfinite(score) or len(tokens) != 250:
        raise CheckFailed(f"{ctx}: got {len(tokens)} tokens with score {score}; expected 250 tokens and a finite "
                          "log-probability")
    expect_number(score, _score(table, 0, list(tokens)), name="score", context=ctx + " (the sum over your tokens)")


@st.composite
def _cases(draw):
    return (draw(st.integers(3, 7)), draw(st.sampled_from([2, 3])), draw(st.integers(1, 4)), draw(st.integers(1, 6)),
            draw(st.integers(0, 2**31)))


def check_random_tables(sub, ref, rng):
    def case(c):
        v, order, beam, max_len, seed = c
        table = _random_table(np.random.default_rng(seed), v, order)
        ctx = f"random {'bi' if order == 2 else 'tri'}gram table, V={v}, beam {beam}, max_len {max_len}"
        _expect(_run(sub, table, 0, 1, beam, max_len, ctx), ref.harness("run_beam")(table, 0, 1, beam, max_len), ctx)

    for_all(rng, _cases(), case, examples=10)
