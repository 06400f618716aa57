"""Hidden checks for max-pool2d: the definition, strides (default, overlapping, skipping), negatives, dtypes."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, for_all

# (N, C, H, W, kernel_size, stride): sizes differ pairwise; stride None means kernel_size
CASES = [
    (2, 3, 8, 6, 2, None),
    (2, 3, 9, 7, 3, 2),      # overlapping windows
    (3, 2, 7, 10, 2, 3),     # stride > kernel: some pixels belong to no window
    (2, 4, 11, 5, 3, None),  # floor drops the last rows
    (3, 2, 10, 8, 4, 1),     # heavy overlap
    (1, 3, 8, 6, 3, 2),      # OH = 3 while H // stride = 4
]

EXAMPLE = np.array([[1, 3, 2, 0, 5], [4, -1, 6, 2, 1], [0, 8, -3, 7, 2], [9, 1, 2, 3, 4]], dtype=float)


def _direct(x, k, s):
    """Max pooling from its definition, window by window."""
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.empty((n, c, oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out


def _call(impl, x, k, s):
    return impl(x, k) if s is None else impl(x, k, stride=s)


def check_hand_worked_example(sub):
    x = EXAMPLE.reshape(1, 1, 4, 5)
    name = "the 4 x 5 example of the statement"
    expect_array(sub(x, 2), np.array([[[[4.0, 6.0], [9.0, 7.0]]]]), context=f"{name}, kernel_size=2, stride=None")
    expect_array(sub(x, 3, stride=1), np.array([[[[8.0, 8.0, 7.0], [9.0, 8.0, 7.0]]]]),
                 context=f"{name}, kernel_size=3, stride=1")
    expect_array(sub(x, 2, stride=3), np.array([[[[4.0, 5.0]]]]), context=f"{name}, kernel_size=2, stride=3")


def check_matches_the_definition(sub, rng):
    for n, c, h, w, k, s in CASES:
        x = rng.standard_normal((n, c, h, w))
        expect_array(_call(sub, x, k, s), _direct(x, k, k if s is None else s),
                     context=f"x {x.shape}, kernel_size={k}, stride={s}")


def check_all_negative_inputs(sub, rng):
    x = -rng.uniform(1.0, 5.0, size=(2, 3, 6, 7))
    expect_array(sub(x, 2, stride=2), _direct(x, 2, 2),
                 context="every value negative (a maximum started from 0 gives 0)")


def check_each_channel_pooled_alone(sub, rng):
    x = rng.standard_normal((2, 4, 6, 6))
    x[:, 0] += 100.0  # a channel far above the others must not leak into them
    expect_array(sub(x, 3), _direct(x, 3, 3), context="channel 0 shifted by +100, kernel_size=3")


def check_window_covering_the_input(sub, rng):
    x = rng.standard_normal((3, 2, 5, 5))
    expect_array(sub(x, 5), x.max(axis=(2, 3), keepdims=True), context="x (3, 2, 5, 5), kernel_size=5: one window")
    x = rng.standard_normal((2, 3, 4, 7))
    expect_array(sub(x, 1, stride=2), x[:, :, ::2, ::2], context="kernel_size=1, stride=2: plain subsampling")


@st.composite
def _cases(draw):
    k = draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(k, 12)), draw(st.integers(k, 12)), k,
            draw(st.one_of(st.none(), st.integers(1, 4))), 10.0 ** draw(st.integers(-3, 3)),
            draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        n, ch, h, w, k, s, scale, seed = c
        x = np.random.default_rng(seed).standard_normal((n, ch, h, w)) * scale
        expect_array(_call(sub, x, k, s), _call(ref, x, k, s), context=f"x {x.shape}, kernel_size={k}, stride={s}")

    for_all(rng, _cases(), case, examples=6)


def check_float32_stays_float32(sub, ref, rng):
    x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
    expect_array(sub(x, 3, stride=2), ref(x, 3, stride=2), context="float32 x (2, 3, 9, 8), kernel_size=3, stride=2",
                 dtype=np.float32)


def speed_case(rng):
    return (rng.standard_normal((16, 16, 64, 64)), 3), {"stride": 2}
