"""Hidden checks for int8 quantization: hand values, ties, per-channel axes, zero channels, round trip."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, for_all


def _quantize(sub, w, axis, context):
    q, scale = expect_tuple(sub(w, axis=axis), ("q", "scale"), context=context)
    return q, scale


def _expect_same(sub, ref, w, axis, context):
    q, scale = _quantize(sub, w, axis, context)
    q_ref, scale_ref = ref(w, axis=axis)
    expect_array(scale, scale_ref, name="scale", context=context, dtype=np.float64)
    expect_array(q, q_ref, name="q", context=context, dtype=np.int8, exact=True)
    return q, scale


def check_hand_computed_example(sub):
    w = np.array([[0.5, -1.27, 0.0], [0.02, 0.05, -0.01]])
    q, scale = _quantize(sub, w, None, "per tensor, w = [[0.5, -1.27, 0], [0.02, 0.05, -0.01]]")
    expect_array(scale, np.array(0.01), name="scale", context="per tensor: max|w| / 127 = 1.27 / 127",
                 dtype=np.float64)
    expect_array(q, np.array([[50, -127, 0], [2, 5, -1]], dtype=np.int8), name="q", exact=True,
                 dtype=np.int8, context="per tensor, scale 0.01")
    q, scale = _quantize(sub, w, 0, "axis=0, the same w")
    expect_array(scale, np.array([[0.01], [0.05 / 127]]), name="scale", dtype=np.float64,
                 context="axis=0: one scale per row, shape (2, 1)")
    expect_array(q, np.array([[50, -127, 0], [51, 127, -25]], dtype=np.int8), name="q", exact=True,
                 dtype=np.int8, context="axis=0: 0.02 / (0.05/127) = 50.8 rounds to 51")


def check_halves_round_to_even(sub):
    w = np.array([2.5, -0.5, 127.0, -1.5, 3.5, 0.5])  # scale is exactly 1
    expect_array(_quantize(sub, w, None, "w/scale has exact halves")[0],
                 np.array([2, 0, 127, -2, 4, 0], dtype=np.int8), name="q", exact=True, dtype=np.int8,
                 context="w = [2.5, -0.5, 127, -1.5, 3.5, 0.5], scale 1: np.round sends halves to even")


def check_per_tensor_random(sub, ref, rng):
    for shape, spread in (((7, 5), 1.0), ((4, 3, 6), 1e-3), ((11,), 250.0)):
        w = rng.standard_normal(shape) * spread
        _expect_same(sub, ref, w, None, f"w {shape} * {spread}, axis=None")


def check_per_channel_axes(sub, ref, rng):
    conv = rng.standard_normal((5, 3, 2, 4)) * np.array([1e-3, 0.1, 1.0, 10.0, 3.0])[:, None, None, None]
    _expect_same(sub, ref, conv, 0, "conv weight (5, 3, 2, 4), axis=0: scale (5, 1, 1, 1)")
    dense = rng.standard_normal((6, 4)) * np.array([0.01, 1.0, 5.0, 0.2])
    _expect_same(sub, ref, dense, 1, "dense weight (6, 4), axis=1: scale (1, 4)")
    _expect_same(sub, ref, dense, -1, "dense weight (6, 4), axis=-1: scale (1, 4)")
    _expect_same(sub, ref, conv, 2, "conv weight (5, 3, 2, 4), axis=2: scale (1, 1, 2, 1)")


def check_zero_channel_and_zero_tensor(sub, ref, rng):
    w = rng.standard_normal((4, 3))
    w[:, 1] = 0.0
    _, scale = _expect_same(sub, ref, w, 1, "dense (4, 3) whose column 1 is all zeros, axis=1")
    if scale[0, 1] != 1.0:
        raise CheckFailed(f"all-zero channel: scale should be 1.0, got {scale[0, 1]!r}")
    _expect_same(sub, ref, np.zeros((2, 3)), None, "an all-zero tensor, axis=None (scale 1.0, q = 0)")


def check_round_trip_within_half_a_step(sub, rng):
    w = rng.standard_normal((6, 9)) * np.array([1e-4, 1e-2, 1.0, 30.0, 0.5, 7.0])[:, None]
    for axis in (None, 0):
        ctx = f"w (6, 9) with rows at scales 1e-4..30, axis={axis}"
        q, scale = _quantize(sub, w, axis, ctx)
        back = sub.fn("dequantize")(q, scale)
        expect_array(back, np.asarray(q, dtype=np.float64) * scale, name="dequantize(q, scale)", context=ctx,
                     dtype=np.float64)
        err = np.abs(back - w)
        bound = np.broadcast_to(np.asarray(scale) / 2, w.shape) * (1 + 1e-9)
        bad = np.argwhere(err > bound)
        if len(bad):
            i = tuple(int(v) for v in bad[0])
            raise CheckFailed(f"{ctx}: element {i} comes back {back[i]!r} from {w[i]!r}, "
                              f"further than half a step ({bound[i]:.3g})")
        peak = np.max(np.abs(np.asarray(q, dtype=np.int64)), axis=None if axis is None else 1)
        if np.any(peak != 127):
            raise CheckFailed(f"{ctx}: the largest |w| of each scale group must map to +-127; got {peak}")


def check_float32_weights(sub, ref, rng):
    w = (rng.standard_normal((8, 5)) * 0.3).astype(np.float32)
    _expect_same(sub, ref, w, 0, "float32 w (8, 5), axis=0 (q stays int8, scale float64)")


@st.composite
def _cases(draw):
    ndim = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim)))
    axis = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1)))
    return shape, axis, 10.0 ** draw(st.integers(-4, 3)), draw(st.integers(0, 2**31))


def check_random_shapes_and_axes(sub, ref, rng):
    def case(c):
        shape, axis, spread, seed = c
        w = np.random.default_rng(seed).standard_normal(shape) * spread
        _expect_same(sub, ref, w, axis, f"w {shape} * {spread:g}, axis={axis}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (rng.standard_normal((256, 128, 3, 3)),), {"axis": 0}
