"""Hidden checks for magnitude pruning: global not per-layer, |w| not w, floor of k, ties, edges, boolean
masks, dtypes, and random layer lists."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t


def _unpack(result, n, context):
    pruned, masks = expect_tuple(result, ("pruned", "masks"), context=context)
    for name, value in (("pruned", pruned), ("masks", masks)):
        if not isinstance(value, (list, tuple)) or len(value) != n:
            got = f"{type(value).__name__} ({len(value)})" if isinstance(value, (list, tuple)) else type(value).__name__
            raise CheckFailed(f"{context}: " + t(f"'{name}' should be a list of {n} arrays, got {got}",
                                                 f"'{name}' 应是含 {n} 个数组的列表，实际为 {got}"))
    for i, m in enumerate(masks):
        if type(m) is np.ndarray and m.dtype != np.bool_:
            raise CheckFailed(f"{context}: " + t(
                f"masks[{i}] should be a boolean array (True = kept), got dtype {m.dtype}",
                f"masks[{i}] 应是布尔数组（True 表示保留），实际 dtype 为 {m.dtype}"))
    return list(pruned), list(masks)


def _expect(sub, weights, sparsity, pruned_ref, masks_ref, context):
    pruned, masks = _unpack(sub(weights, sparsity), len(weights), context)
    for i, (p, m, pr, mr, w) in enumerate(zip(pruned, masks, pruned_ref, masks_ref, weights)):
        expect_array(m, np.asarray(mr, dtype=bool), name=f"masks[{i}]", context=context, exact=True)
        expect_array(p, np.asarray(pr, dtype=w.dtype), name=f"pruned[{i}]", context=context, dtype=w.dtype,
                     exact=True)


def _same(sub, ref, weights, sparsity, context):
    pruned, masks = ref(weights, sparsity)
    _expect(sub, weights, sparsity, pruned, masks, context)


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    weights = [np.array([0.5, -0.1, 2.0, 0.2]), np.array([[-3.0, 0.05], [1.0, -4.0]])]
    _expect(sub, weights, 0.5, [[0.0, 0.0, 2.0, 0.0], [[-3.0, 0.0], [1.0, -4.0]]],
            [[False, False, True, False], [[True, False], [True, True]]],
            t("weights [[0.5, -0.1, 2, 0.2], [[-3, 0.05], [1, -4]]], sparsity 0.5: k = 4, pruned over both arrays",
              "weights [[0.5, -0.1, 2, 0.2], [[-3, 0.05], [1, -4]]]，sparsity 0.5：k = 4，在两个数组上一起剪"))


@pytest.mark.zh("跨量级不同的层全局剪枝")
def test_global_across_layers_of_different_scale(sub, ref, rng):
    weights = [rng.standard_normal((6, 5)) * 0.01, rng.standard_normal((4, 7)) * 1.0, rng.standard_normal(9) * 5.0]
    _same(sub, ref, weights, 0.4, t("three layers at scales 0.01, 1 and 5, sparsity 0.4 (n = 67, k = 26)",
                                    "三层，量级分别为 0.01、1 和 5，sparsity 0.4（n = 67，k = 26）"))


@pytest.mark.zh("独立验证的性质")
@pytest.mark.parametrize("sparsity", [0.1, 0.49, 0.77], ids=lambda s: f"sparsity={s}")
def test_independent_properties(sub, rng, sparsity):
    weights = [rng.standard_normal((5, 8)), rng.standard_normal((3, 3, 2)) * 3]
    n = 40 + 18
    k = int(np.floor(sparsity * n))
    ctx = t(f"layers (5, 8) and (3, 3, 2), sparsity {sparsity}: ", f"层 (5, 8) 和 (3, 3, 2)，sparsity {sparsity}：") + \
        f"n = {n}, k = floor({sparsity * n:.2f}) = {k}"
    pruned, masks = _unpack(sub(weights, sparsity), 2, ctx)
    masks = [np.asarray(m, dtype=bool) for m in masks]
    removed = sum(int((~m).sum()) for m in masks)
    if removed != k:
        raise CheckFailed(f"{ctx}: " + t(f"{removed} entries pruned, expected exactly {k}",
                                         f"剪掉了 {removed} 个元素，应恰好剪掉 {k} 个"))
    gone = np.concatenate([np.abs(w)[~m] for w, m in zip(weights, masks)])
    kept = np.concatenate([np.abs(w)[m] for w, m in zip(weights, masks)])
    if gone.size and kept.size and gone.max() > kept.min():
        raise CheckFailed(f"{ctx}: " + t(f"a weight of magnitude {gone.max():.4g} was pruned while one of "
                                         f"{kept.min():.4g} was kept",
                                         f"幅值为 {gone.max():.4g} 的权重被剪掉了，"
                                         f"而幅值为 {kept.min():.4g} 的却被保留"))
    for i, (p, w, m) in enumerate(zip(pruned, weights, masks)):
        expect_array(p, w * m, name=f"pruned[{i}]", context=ctx, exact=True)


@pytest.mark.zh("按幅值而不是带符号的值")
def test_magnitude_not_signed_value(sub, ref, rng):
    w = rng.uniform(0.5, 2.0, size=(4, 6)) * rng.choice([-1.0, 1.0], size=(4, 6))
    w[0, :3] = [-50.0, -40.0, -30.0]  # the largest weights are negative: they must survive
    _same(sub, ref, [w], 0.5, t("w (4, 6) with large negative entries, sparsity 0.5",
                                "w (4, 6) 含绝对值很大的负数，sparsity 0.5"))


@pytest.mark.zh("并列时先出现的先剪")
def test_ties_prune_first_in_order(sub):
    weights = [np.array([1.0, -1.0, 2.0]), np.array([[1.0, 0.5], [-1.0, 3.0]])]
    _expect(sub, weights, 0.5, [[0.0, 0.0, 2.0], [[1.0, 0.0], [-1.0, 3.0]]],
            [[False, False, True], [[True, False], [True, True]]],
            t("weights [[1, -1, 2], [[1, 0.5], [-1, 3]]], sparsity 0.5: k = 3, 0.5 then the first two |w| = 1 "
              "in list order",
              "weights [[1, -1, 2], [[1, 0.5], [-1, 3]]]，sparsity 0.5：k = 3，先剪 0.5，再按列表顺序剪前两个 |w| = 1"))


@pytest.mark.zh("k 在浮点数中向下取整")
def test_k_is_the_float_floor(sub):
    # 0.35 * 180 is 62.99999999999999 in float64: k = 62, as int(np.floor(sparsity * n)) gives
    weights = [np.arange(1.0, 121.0).reshape(12, 10), -np.arange(121.0, 181.0)]
    mask0 = np.arange(120) >= 62
    _expect(sub, weights, 0.35, [np.where(mask0, np.arange(1.0, 121.0), 0.0).reshape(12, 10), -np.arange(121.0, 181.0)],
            [mask0.reshape(12, 10), np.ones(60, dtype=bool)],
            t("n = 180, sparsity 0.35: sparsity * n = 62.99999999999999 in float64, so k = 62",
              "n = 180，sparsity 0.35：float64 中 sparsity * n = 62.99999999999999，所以 k = 62"))


@pytest.mark.zh("sparsity 为 0 和 1")
@pytest.mark.parametrize("sparsity", [0.0, 1.0], ids=["sparsity=0", "sparsity=1"])
def test_sparsity_zero_and_one(sub, ref, rng, sparsity):
    weights = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    _same(sub, ref, weights, sparsity, t("everything kept", "全部保留") if sparsity == 0 else
          t("everything pruned", "全部剪掉"))


@pytest.mark.zh("float32 的层")
def test_float32_layers(sub, ref, rng):
    weights = [rng.standard_normal((4, 4)).astype(np.float32), rng.standard_normal((2, 3, 3)).astype(np.float32)]
    _same(sub, ref, weights, 0.3, t("float32 layers (4, 4) and (2, 3, 3), sparsity 0.3 (n = 34, k = 10)",
                                    "float32 的层 (4, 4) 和 (2, 3, 3)，sparsity 0.3（n = 34，k = 10）"))


@st.composite
def _cases(draw):
    shapes = draw(st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple), min_size=1, max_size=4))
    return shapes, draw(st.sampled_from([0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95])), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机的层列表")
@settings(max_examples=10)
@given(case=_cases())
def test_random_layer_lists(sub, ref, case):
    shapes, sparsity, seed = case
    g = np.random.default_rng(seed)
    weights = [g.standard_normal(s) * 10.0 ** g.integers(-2, 2) for s in shapes]
    _same(sub, ref, weights, sparsity, t(f"layers {shapes}, sparsity {sparsity}", f"层 {shapes}，sparsity {sparsity}"))


def speed_case(rng):
    return ([rng.standard_normal((256, 256)), rng.standard_normal((512, 128)), rng.standard_normal(4096)], 0.7), {}
