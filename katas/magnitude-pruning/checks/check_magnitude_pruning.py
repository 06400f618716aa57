"""Hidden checks for magnitude pruning: global not per-layer, |w| not w, floor of k, ties, edges, dtypes."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, for_all


def _unpack(result, n, context):
    pruned, masks = expect_tuple(result, ("pruned", "masks"), context=context)
    for name, value in (("pruned", pruned), ("masks", masks)):
        if not isinstance(value, (list, tuple)) or len(value) != n:
            got = f"a {type(value).__name__} of length {len(value)}" if isinstance(value, (list, tuple)) else (
                type(value).__name__)
            raise CheckFailed(f"{context}: '{name}' should be a list of {n} arrays, got {got}")
    return list(pruned), list(masks)


def _expect(sub, weights, sparsity, pruned_ref, masks_ref, context):
    pruned, masks = _unpack(sub(weights, sparsity), len(weights), context)
    for i, (p, m, pr, mr, w) in enumerate(zip(pruned, masks, pruned_ref, masks_ref, weights)):
        expect_array(m, np.asarray(mr, dtype=bool), name=f"masks[{i}]", context=context, dtype=np.bool_, exact=True)
        expect_array(p, np.asarray(pr, dtype=w.dtype), name=f"pruned[{i}]", context=context, dtype=w.dtype,
                     exact=True)


def _same(sub, ref, weights, sparsity, context):
    pruned, masks = ref(weights, sparsity)
    _expect(sub, weights, sparsity, pruned, masks, context)


def check_hand_computed_example(sub):
    weights = [np.array([0.5, -0.1, 2.0, 0.2]), np.array([[-3.0, 0.05], [1.0, -4.0]])]
    _expect(sub, weights, 0.5, [[0.0, 0.0, 2.0, 0.0], [[-3.0, 0.0], [1.0, -4.0]]],
            [[False, False, True, False], [[True, False], [True, True]]],
            "weights [[0.5, -0.1, 2, 0.2], [[-3, 0.05], [1, -4]]], sparsity 0.5: k = 4, pruned over both arrays")


def check_global_across_layers_of_different_scale(sub, ref, rng):
    weights = [rng.standard_normal((6, 5)) * 0.01, rng.standard_normal((4, 7)) * 1.0, rng.standard_normal(9) * 5.0]
    _same(sub, ref, weights, 0.4, "three layers at scales 0.01, 1 and 5, sparsity 0.4 (n = 67, k = 26)")


def check_independent_properties(sub, rng):
    weights = [rng.standard_normal((5, 8)), rng.standard_normal((3, 3, 2)) * 3]
    n = 40 + 18
    for sparsity in (0.1, 0.49, 0.77):
        k = int(np.floor(sparsity * n))
        ctx = f"layers (5, 8) and (3, 3, 2), sparsity {sparsity}: n = {n}, k = floor({sparsity * n:.2f}) = {k}"
        pruned, masks = _unpack(sub(weights, sparsity), 2, ctx)
        masks = [np.asarray(m, dtype=bool) for m in masks]
        removed = sum(int((~m).sum()) for m in masks)
        if removed != k:
            raise CheckFailed(f"{ctx}: {removed} entries pruned, expected exactly {k}")
        gone = np.concatenate([np.abs(w)[~m] for w, m in zip(weights, masks)])
        kept = np.concatenate([np.abs(w)[m] for w, m in zip(weights, masks)])
        if gone.size and kept.size and gone.max() > kept.min():
            raise CheckFailed(f"{ctx}: a weight of magnitude {gone.max():.4g} was pruned while one of "
                              f"{kept.min():.4g} was kept")
        for i, (p, w, m) in enumerate(zip(pruned, weights, masks)):
            expect_array(p, w * m, name=f"pruned[{i}]", context=ctx, exact=True)


def check_magnitude_not_signed_value(sub, ref, rng):
    w = rng.uniform(0.5, 2.0, size=(4, 6)) * rng.choice([-1.0, 1.0], size=(4, 6))
    w[0, :3] = [-50.0, -40.0, -30.0]  # the largest weights are negative: they must survive
    _same(sub, ref, [w], 0.5, "w (4, 6) with large negative entries, sparsity 0.5")


def check_ties_prune_first_in_order(sub):
    weights = [np.array([1.0, -1.0, 2.0]), np.array([[1.0, 0.5], [-1.0, 3.0]])]
    _expect(sub, weights, 0.5, [[0.0, 0.0, 2.0], [[1.0, 0.0], [-1.0, 3.0]]],
            [[False, False, True], [[True, False], [True, True]]],
            "weights [[1, -1, 2], [[1, 0.5], [-1, 3]]], sparsity 0.5: k = 3, 0.5 then the first two |w| = 1 "
            "in list order")


def check_sparsity_zero_and_one(sub, ref, rng):
    weights = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    _same(sub, ref, weights, 0.0, "sparsity 0: everything kept")
    _same(sub, ref, weights, 1.0, "sparsity 1: everything pruned")


def check_float32_layers(sub, ref, rng):
    weights = [rng.standard_normal((4, 4)).astype(np.float32), rng.standard_normal((2, 3, 3)).astype(np.float32)]
    _same(sub, ref, weights, 0.3, "float32 layers (4, 4) and (2, 3, 3), sparsity 0.3 (n = 34, k = 10)")


@st.composite
def _cases(draw):
    shapes = draw(st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple), min_size=1, max_size=4))
    return shapes, draw(st.sampled_from([0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95])), draw(st.integers(0, 2**31))


def check_random_layer_lists(sub, ref, rng):
    def case(c):
        shapes, sparsity, seed = c
        g = np.random.default_rng(seed)
        weights = [g.standard_normal(s) * 10.0 ** g.integers(-2, 2) for s in shapes]
        _same(sub, ref, weights, sparsity, f"layers {shapes}, sparsity {sparsity}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return ([rng.standard_normal((256, 256)), rng.standard_normal((512, 128)), rng.standard_normal(4096)], 0.7), {}
