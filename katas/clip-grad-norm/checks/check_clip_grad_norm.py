"""Hidden checks for global-norm clipping: one norm over all arrays, never up, norm before, zeros, dtypes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, for_all


def _call(sub, grads, max_norm, context):
    clipped, total = expect_tuple(sub(grads, max_norm), ("clipped", "total_norm"), context=context)
    if not isinstance(clipped, (list, tuple)) or len(clipped) != len(grads):
        raise CheckFailed(f"{context}: 'clipped' should be a list of {len(grads)} arrays")
    return list(clipped), total


def _same(sub, ref, grads, max_norm, context, **tol):
    clipped, total = _call(sub, grads, max_norm, context)
    clipped_ref, total_ref = ref(grads, max_norm)
    expect_number(total, total_ref, name="total_norm", context=context)
    for i, (a, b) in enumerate(zip(clipped, clipped_ref)):
        expect_array(a, b, name=f"clipped[{i}]", context=context, **tol)


def check_hand_computed_example(sub):
    grads = [np.array([3.0, 4.0]), np.array([[12.0]])]
    ctx = "grads [[3, 4], [[12]]], max_norm 6.5: total 13, scale 6.5 / (13 + 1e-6)"
    clipped, total = _call(sub, grads, 6.5, ctx)
    expect_number(total, 13.0, name="total_norm", context=ctx)
    s = 6.5 / (13.0 + 1e-6)
    expect_array(clipped[0], np.array([3.0, 4.0]) * s, name="clipped[0]", context=ctx)
    expect_array(clipped[1], np.array([[12.0]]) * s, name="clipped[1]", context=ctx)


def check_one_global_norm(sub, rng):
    grads = [rng.standard_normal((4, 5)) * 0.1, rng.standard_normal(7) * 10, rng.standard_normal((2, 3, 2))]
    total = math.sqrt(sum(float(x) ** 2 for g in grads for x in g.ravel()))
    ctx = f"arrays (4, 5), (7,), (2, 3, 2) at scales 0.1, 10 and 1 (global norm {total:.4g}), max_norm 1.0"
    clipped, got_total = _call(sub, grads, 1.0, ctx)
    expect_number(got_total, total, name="total_norm", context=ctx + " (the norm before clipping)")
    for i, (c, g) in enumerate(zip(clipped, grads)):
        expect_array(c, g * (1.0 / (total + 1e-6)), name=f"clipped[{i}]", context=ctx + ": one factor for all arrays")
    new = math.sqrt(sum(float(np.sum(np.asarray(c, dtype=np.float64) ** 2)) for c in clipped))
    if abs(new - 1.0) > 1e-5:
        raise CheckFailed(f"{ctx}: the clipped gradients have global norm {new:.6g}; it should be 1.0")


def check_never_scales_up(sub, ref, rng):
    grads = [rng.standard_normal((3, 3)) * 0.01, rng.standard_normal(4) * 0.01]
    _same(sub, ref, grads, 5.0, "small gradients (norm ~0.03) and max_norm 5: returned unchanged")


def check_all_zero_gradients(sub, ref):
    _same(sub, ref, [np.zeros((2, 3)), np.zeros(4)], 1.0, "all gradients zero: no division by zero, zeros back")


def check_single_large_array(sub, ref, rng):
    _same(sub, ref, [rng.standard_normal((6, 2)) * 1e3], 0.5, "one array at scale 1e3, max_norm 0.5")


def check_float32_gradients(sub, ref, rng):
    grads = [(rng.standard_normal((5, 4)) * 3e19).astype(np.float32), rng.standard_normal(3).astype(np.float32)]
    _same(sub, ref, grads, 2.0, "float32 gradients with entries ~3e19 (their float32 squares overflow)",
          dtype=np.float32)


@st.composite
def _cases(draw):
    shapes = draw(st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple), min_size=1, max_size=4))
    return shapes, draw(st.sampled_from([0.01, 0.5, 1.0, 5.0, 100.0])), draw(st.integers(0, 2**31))


def check_random_gradient_lists(sub, ref, rng):
    def case(c):
        shapes, max_norm, seed = c
        r = np.random.default_rng(seed)
        _same(sub, ref, [r.standard_normal(s) * 10.0 ** r.integers(-2, 2) for s in shapes], max_norm,
              f"arrays {shapes}, max_norm {max_norm}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return ([rng.standard_normal((512, 512)) for _ in range(8)], 1.0), {}
