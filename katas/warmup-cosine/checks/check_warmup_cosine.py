"""Hidden checks for warm-up + cosine: boundary values, a scalar re-derivation, clamping, shapes, no warm-up."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, for_all


def _scalar(step, base, warm, total, low):
    if step < warm:
        return base * (step + 1) / warm
    progress = min(1.0, (step - warm) / (total - warm))
    return low + 0.5 * (base - low) * (1 + math.cos(math.pi * progress))


def check_hand_computed_example(sub):
    steps = np.array([0, 1, 3, 4, 5, 9, 14, 20])
    expected = np.array([0.25, 0.5, 1.0, 1.0, 0.1 + 0.45 * (1 + math.cos(0.1 * math.pi)), 0.55, 0.1, 0.1])
    expect_array(sub(steps, 1.0, 4, 14, 0.1), expected, name="lr", dtype=np.float64,
                 context="base_lr 1, warmup 4, total 14, min_lr 0.1, steps [0, 1, 3, 4, 5, 9, 14, 20]")


def check_boundaries(sub, rng):
    base, warm, total, low = 3e-4, int(rng.integers(5, 50)), int(rng.integers(200, 1000)), 3e-5
    mid = warm + (total - warm) / 2
    steps = np.array([0, warm - 1, warm, total, total + 1, total + 500])
    expected = np.array([base / warm, base, base, low, low, low])
    ctx = f"base_lr {base}, warmup {warm}, total {total}, min_lr {low}: steps 0, warmup-1, warmup, total, after"
    expect_array(sub(steps, base, warm, total, low), expected, name="lr", context=ctx)
    if float(mid).is_integer():
        expect_array(sub(np.array([int(mid)]), base, warm, total, low), np.array([(base + low) / 2]), name="lr",
                     context=f"{ctx}: halfway through the decay, step {int(mid)}")


def check_matches_a_scalar_derivation(sub, rng):
    warm, total = 7, 61
    steps = np.arange(0, 80)
    rng.shuffle(steps)
    expected = np.array([_scalar(int(s), 0.5, warm, total, 0.01) for s in steps])
    expect_array(sub(steps, 0.5, warm, total, 0.01), expected, name="lr",
                 context="steps 0..79 shuffled, base_lr 0.5, warmup 7, total 61, min_lr 0.01")


def check_no_warmup_and_zero_floor(sub):
    steps = np.array([0, 5, 10, 12])
    expect_array(sub(steps, 0.1, 0, 10), np.array([0.1, 0.05, 0.0, 0.0]), name="lr",
                 context="warmup 0, total 10, min_lr default 0: steps [0, 5, 10, 12]")


def check_keeps_the_shape_of_step(sub, ref, rng):
    steps = rng.integers(0, 300, size=(4, 6))
    expect_array(sub(steps, 1e-3, 20, 250, 1e-5), ref(steps, 1e-3, 20, 250, 1e-5), name="lr", dtype=np.float64,
                 context="step is an int array of shape (4, 6)")


@st.composite
def _cases(draw):
    warm = draw(st.integers(0, 100))
    total = warm + draw(st.integers(1, 2000))
    base = draw(st.sampled_from([1e-4, 6e-4, 0.01, 1.0]))
    return warm, total, base, base * draw(st.sampled_from([0.0, 0.01, 0.1, 1.0])), draw(st.integers(0, 2**31))


def check_random_schedules(sub, ref, rng):
    def case(c):
        warm, total, base, low, seed = c
        steps = np.random.default_rng(seed).integers(0, total + 50, size=25)
        expect_array(sub(steps, base, warm, total, low), ref(steps, base, warm, total, low), name="lr",
                     context=f"base_lr {base}, warmup {warm}, total {total}, min_lr {low}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (np.arange(1_000_000), 3e-4, 2000, 1_000_000, 3e-5), {}
