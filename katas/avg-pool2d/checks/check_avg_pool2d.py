"""Hidden checks for avg-pool2d: the definition, strides (default, overlapping, skipping), edge kernels, dtypes."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, for_all

# (N, C, H, W, kernel_size, stride): sizes differ pairwise; stride None means kernel_size
CASES = [
    (2, 3, 8, 6, 2, None),
    (2, 3, 9, 7, 3, 2),     # overlapping windows
    (3, 2, 7, 10, 2, 3),    # stride > kernel: some pixels belong to no window
    (2, 4, 11, 5, 3, None),  # floor drops the last rows
    (3, 2, 10, 8, 4, 1),    # heavy overlap
    (1, 3, 8, 6, 3, 2),     # OH = 3, while H // stride = 4
]


def _direct(x, k, s):
    """Average pooling from its definition, window by window."""
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].sum(axis=(2, 3)) / (k * k)
    return out


def _call(impl, x, k, s):
    return impl(x, k) if s is None else impl(x, k, stride=s)


def check_hand_worked_example(sub):
    x = np.arange(20.0).reshape(1, 1, 4, 5)
    expect_array(sub(x, 2), np.array([[[[3.0, 5.0], [13.0, 15.0]]]]),
                 context="x = arange(20).reshape(1, 1, 4, 5), kernel_size=2, stride=None")
    expect_array(sub(x, 3, stride=1), np.array([[[[6.0, 7.0, 8.0], [11.0, 12.0, 13.0]]]]),
                 context="x = arange(20).reshape(1, 1, 4, 5), kernel_size=3, stride=1")


def check_matches_the_definition(sub, rng):
    for n, c, h, w, k, s in CASES:
        x = rng.standard_normal((n, c, h, w))
        expect_array(_call(sub, x, k, s), _direct(x, k, k if s is None else s),
                     context=f"x {x.shape}, kernel_size={k}, stride={s}")


def check_one_by_one_window_is_identity(sub, rng):
    x = rng.standard_normal((2, 3, 5, 7))
    expect_array(sub(x, 1), x, context="x (2, 3, 5, 7), kernel_size=1, stride=None")


def check_window_covering_the_input_is_the_global_mean(sub, rng):
    x = rng.standard_normal((3, 4, 6, 6)) * 100.0
    expect_array(sub(x, 6), x.mean(axis=(2, 3), keepdims=True),
                 context="x (3, 4, 6, 6), kernel_size=6: one window per channel")
    x = rng.standard_normal((2, 3, 7, 9))
    expect_array(sub(x, 7, stride=5), x[:, :, :, :7].mean(axis=(2, 3), keepdims=True),
                 context="x (2, 3, 7, 9), kernel_size=7, stride=5: one window, the last 2 columns unused")


@st.composite
def _cases(draw):
    k = draw(st.integers(1, 4))
    return (k, draw(st.one_of(st.none(), st.integers(1, 4))), draw(st.integers(1, 3)), draw(st.integers(1, 3)),
            draw(st.integers(k, 12)), draw(st.integers(k, 12)), 10.0 ** draw(st.integers(-3, 3)),
            draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        k, s, n, ch, h, w, scale, seed = c
        x = np.random.default_rng(seed).standard_normal((n, ch, h, w)) * scale
        expect_array(_call(sub, x, k, s), _call(ref, x, k, s), context=f"x {x.shape}, kernel_size={k}, stride={s}")

    for_all(rng, _cases(), case, examples=10)


def check_float32_stays_float32(sub, ref, rng):
    x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
    expect_array(sub(x, 3, stride=2), ref(x, 3, stride=2), context="float32 x (2, 3, 9, 8), kernel_size=3, stride=2",
                 dtype=np.float32)


def speed_case(rng):
    return (rng.standard_normal((16, 16, 64, 64)), 3), {"stride": 2}
