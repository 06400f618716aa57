"""Hidden checks for logit filtering: hand rows, a per-row scalar derivation, order of operations, the top-p
rule (crossing token kept, top token kept), batches, random rows kept off the boundaries."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, for_all

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
        raise CheckFailed(f"{context}: expected an array of shape {expected.shape}, got "
                          f"{getattr(got, 'shape', type(got).__name__)}")
    removed_exp, removed_got = np.isneginf(expected), np.isneginf(got)
    if np.any(removed_exp != removed_got):
        i = tuple(int(v) for v in np.argwhere(removed_exp != removed_got)[0])
        what = "should be removed (-inf)" if removed_exp[i] else f"should be kept (expected {expected[i]:.6g})"
        raise CheckFailed(f"{context}: token {i} {what}, got {got[i]:.6g}; kept set expected "
                          f"{np.flatnonzero(~removed_exp.reshape(-1)).tolist()[:12]}")
    expect_array(np.where(removed_got, 0.0, got), np.where(removed_exp, 0.0, expected), name="kept logits",
                 context=context + " (kept tokens carry logits / temperature)")


def _call(impl, logits, temperature=1.0, top_k=None, top_p=None):
    return impl(logits, temperature=temperature, top_k=top_k, top_p=top_p)


def check_hand_computed_example(sub):
    cases = [
        ({"top_k": 2}, [2, 1, -np.inf, -np.inf]),
        ({"top_p": 0.7}, [2, 1, -np.inf, -np.inf]),
        ({"top_p": 0.9}, [2, 1, 0, -np.inf]),
        ({"temperature": 0.5, "top_p": 0.7}, [4, -np.inf, -np.inf, -np.inf]),
        ({"temperature": 2.0, "top_p": 0.7}, [1, 0.5, -np.inf, -np.inf]),
        ({}, [2, 1, 0, -1]),
    ]
    for kwargs, expected in cases:
        _expect(_call(sub, EXAMPLE, **kwargs), np.array([expected], dtype=float),
                f"logits [[2, 1, 0, -1]], {kwargs or 'no filtering'}")


def check_top_token_always_kept(sub, rng):
    logits = rng.standard_normal((3, 9))
    expected = np.stack([_scalar(r, 1.0, None, 0.01) for r in logits])
    _expect(_call(sub, logits, top_p=0.01), expected, "top_p = 0.01: only each row's most likely token remains")


def check_top_p_works_on_what_top_k_left(sub):
    logits = np.array([[3.0, 2.9, 2.8, 0.0, -0.5, -1.0, -2.0]])
    # after top-3 the survivors have probabilities ~0.367, 0.332, 0.301 (the first two hold 0.699 >= 0.685:
    # two kept); over all seven tokens (wrongly) the first two hold only 0.673 < 0.685 and a third is kept
    expected = _scalar(logits[0], 1.0, 3, 0.685)[None]
    _expect(_call(sub, logits, top_k=3, top_p=0.685), expected,
            "logits [3, 2.9, 2.8, 0, -0.5, -1, -2], top_k 3 then top_p 0.685 (renormalised over the top 3)")


def check_temperature_comes_first(sub, rng):
    logits = np.array([[1.0, 0.2, -0.3, -1.5, 0.7]])
    for t in (0.3, 3.0):
        _expect(_call(sub, logits, temperature=t, top_p=0.75), _scalar(logits[0], t, None, 0.75)[None],
                f"logits [1, 0.2, -0.3, -1.5, 0.7], temperature {t}, top_p 0.75 (nucleus of the scaled distribution)")


def check_rows_are_independent(sub, rng):
    logits = np.stack([rng.permutation(np.linspace(-3, 3, 11)) * s for s in (0.5, 1.0, 4.0, 10.0)])
    for kwargs in ({"top_k": 4}, {"top_p": 0.8}, {"top_k": 6, "top_p": 0.5, "temperature": 1.3}):
        expected = np.stack([_scalar(r, kwargs.get("temperature", 1.0), kwargs.get("top_k"), kwargs.get("top_p"))
                             for r in logits])
        _expect(_call(sub, logits, **kwargs), expected, f"4 rows at different scales, shuffled orders, {kwargs}")


def check_top_k_edges(sub, rng):
    logits = rng.standard_normal((2, 6))
    _expect(_call(sub, logits, top_k=6), logits.copy(), "top_k equal to V keeps every token")
    _expect(_call(sub, logits, top_k=10), logits.copy(), "top_k larger than V keeps every token")
    expected = np.stack([_scalar(r, 1.0, 1, None) for r in logits])
    _expect(_call(sub, logits, top_k=1), expected, "top_k 1 is greedy: one token per row")


def _far_from_boundaries(z, top_p):
    """True when no cumulative mass is within 1e-6 of p and the logits have no near-ties."""
    s = np.sort(z)[::-1]
    if np.min(np.abs(np.diff(s))) < 1e-6:
        return False
    p = np.exp(s - s[0])
    p /= p.sum()
    return top_p is None or np.min(np.abs(np.cumsum(p)[:-1] - top_p), initial=1.0) > 1e-6


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 4)), draw(st.integers(2, 40)), draw(st.sampled_from([0.5, 1.0, 1.7])),
            draw(st.one_of(st.none(), st.integers(1, 12))),
            draw(st.one_of(st.none(), st.sampled_from([0.3, 0.6, 0.9]))),
            draw(st.integers(0, 2**31)))


def check_random_batches(sub, ref, rng):
    def case(c):
        n, v, t, k, p, seed = c
        r = np.random.default_rng(seed)
        logits = r.standard_normal((n, v)) * 3
        for _ in range(100):  # redraw rows that sit on a boundary (rare)
            if all(_far_from_boundaries(row / t, p) for row in logits):
                break
            logits = r.standard_normal((n, v)) * 3
        expected = np.stack([_scalar(row, t, k, p) for row in logits])
        _expect(_call(sub, logits, temperature=t, top_k=k, top_p=p), expected,
                f"logits ({n}, {v}), temperature {t}, top_k {k}, top_p {p}")

    for_all(rng, _cases(), case, examples=12)


def speed_case(rng):
    return (rng.standard_normal((64, 32000)) * 3,), {"temperature": 0.8, "top_k": 50, "top_p": 0.9}
