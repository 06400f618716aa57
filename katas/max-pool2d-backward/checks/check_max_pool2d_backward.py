"""Hidden checks for max-pool2d-backward: finite differences, accumulation over overlaps, exact ties, dtypes."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, for_all, numeric_grad


def _grad_error(analytic, numeric):
    """max|a - n| / max(1e-8, max(|a| + |n|)): the error relative to the gradient's scale.

    A coordinate whose gradient is ~0 is then judged by its absolute accuracy, not by the ratio of two
    rounding errors (coordinate by coordinate, a correct gradient fails about once in a thousand runs).
    """
    scale = float(np.max(np.abs(analytic) + np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(1e-8, scale)


# (N, C, H, W, kernel_size, stride): sizes differ pairwise; stride None means kernel_size
CASES = [
    (2, 3, 8, 6, 2, None),
    (2, 3, 9, 7, 3, 2),     # overlapping windows
    (3, 2, 7, 10, 2, 3),    # stride > kernel: some pixels belong to no window
    (1, 4, 5, 6, 1, None),  # 1x1 windows: dx == dout
    (2, 1, 6, 5, 5, 1),     # window taller than the output is wide
    (3, 2, 11, 8, 3, 1),    # heavy overlap
]


def _out(h, w, k, s):
    return (h - k) // s + 1, (w - k) // s + 1


def _distinct(rng, shape):
    """Values at least 0.01 apart, in random order: no ties, far from finite-difference trouble."""
    size = int(np.prod(shape))
    return (rng.permutation(size).reshape(shape) - size / 2) * 0.01


def _forward(x, k, s):
    """Max pooling from its definition."""
    n, c, h, w = x.shape
    oh, ow = _out(h, w, k, s)
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out


def _backward_by_definition(x, dout, k, s):
    """Window by window: the gradient goes to the first maximum in row-major order."""
    n, c, oh, ow = dout.shape
    dx = np.zeros(x.shape)
    for a in range(n):
        for b in range(c):
            for i in range(oh):
                for j in range(ow):
                    u, v = divmod(int(np.argmax(x[a, b, i * s:i * s + k, j * s:j * s + k])), k)
                    dx[a, b, i * s + u, j * s + v] += dout[a, b, i, j]
    return dx


def _ctx(x, k, s):
    return f"x {x.shape}, kernel_size={k}, stride={s}"


def _call(sub, x, dout, k, s):
    return sub(x, dout, k) if s is None else sub(x, dout, k, stride=s)


def check_hand_worked_example(sub):
    x = np.array([[[[1.0, 4, 2], [4, 0, 4], [2, 5, 1]]]])
    dout = np.array([[[[1.0, 2], [3, 4]]]])
    ctx = "x [[1, 4, 2], [4, 0, 4], [2, 5, 1]], dout [[1, 2], [3, 4]], kernel_size=2, stride=1"
    expect_array(sub(x, dout, 2, stride=1), np.array([[[[0.0, 3, 0], [0, 0, 0], [0, 7, 0]]]]), name="dx",
                 context=ctx)


def _finite_difference_case(sub, rng, shape, k, s):
    x = _distinct(rng, shape)
    oh, ow = _out(shape[2], shape[3], k, s)
    dout = rng.standard_normal((shape[0], shape[1], oh, ow))
    ctx = _ctx(x, k, s)
    dx = sub(x, dout, k, stride=s)
    expect_array(dx, np.zeros_like(x), name="dx", context=ctx, rtol=0.0, atol=1e300)
    indices, numeric = numeric_grad(lambda v: _forward(v, k, s), x, dout, rng=rng)
    got = np.array([dx[i] for i in indices])
    err = _grad_error(got, numeric)
    if err > 1e-5:
        j = int(np.argmax(np.abs(got - numeric)))
        raise CheckFailed(f"{ctx}: dx disagrees with finite differences: at {list(indices[j])} numeric "
                          f"{numeric[j]:.6g}, yours {got[j]:.6g} (relative error {err:.2g} > 1e-05)")
    # sampled coordinates can miss the few pixels that carry gradient: compare them all by definition
    expect_array(dx, _backward_by_definition(x, dout, k, s), name="dx", context=ctx)


def check_finite_differences(sub, rng):
    _finite_difference_case(sub, rng, (2, 3, 7, 9), 3, 2)
    _finite_difference_case(sub, rng, (3, 2, 4, 5), 2, 2)


def check_overlapping_windows_accumulate(sub, rng):
    """The centre of a 3x3 input is the maximum of all four 2x2 windows: it collects all of dout."""
    x = rng.uniform(-1.0, 0.0, size=(2, 3, 3, 3))
    x[:, :, 1, 1] = 5.0
    dout = rng.standard_normal((2, 3, 2, 2))
    expected = np.zeros_like(x)
    expected[:, :, 1, 1] = dout.sum(axis=(2, 3))
    expect_array(sub(x, dout, 2, stride=1), expected, name="dx",
                 context="x (2, 3, 3, 3) with its maximum in the centre, kernel_size=2, stride=1")


def check_exact_ties(sub, rng):
    """Ties go to the first maximum in row-major order (like argmax of the flattened window)."""
    dout = rng.standard_normal((2, 3, 3, 4))
    x = np.zeros((2, 3, 7, 9))
    expect_array(sub(x, dout, 3, stride=2), _backward_by_definition(x, dout, 3, 2), name="dx",
                 context="x all zeros (every window is one big tie), kernel_size=3, stride=2")
    x = rng.integers(-2, 2, size=(3, 2, 8, 6)).astype(np.float64)  # small integers: ties everywhere
    dout = rng.standard_normal((3, 2, 4, 3))
    expect_array(sub(x, dout, 2), _backward_by_definition(x, dout, 2, 2), name="dx",
                 context="x small integers with many ties, kernel_size=2, stride=None")


def check_all_negative_input(sub, rng):
    x = _distinct(rng, (2, 3, 6, 8)) - 100.0
    dout = rng.standard_normal((2, 3, 2, 3))
    expect_array(sub(x, dout, 3, stride=2), _backward_by_definition(x, dout, 3, 2), name="dx",
                 context="all-negative x (2, 3, 6, 8), kernel_size=3, stride=2")


def check_shapes_and_strides(sub, ref, rng):
    for n, c, h, w, k, s in CASES:
        x = _distinct(rng, (n, c, h, w))
        oh, ow = _out(h, w, k, k if s is None else s)
        dout = rng.standard_normal((n, c, oh, ow))
        expect_array(_call(sub, x, dout, k, s), _call(ref, x, dout, k, s), name="dx", context=_ctx(x, k, s))


@st.composite
def _cases(draw):
    k = draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(k, 11)), draw(st.integers(k, 11)), k,
            draw(st.one_of(st.none(), st.integers(1, 4))), draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        n, ch, h, w, k, s, seed = c
        r = np.random.default_rng(seed)
        x = _distinct(r, (n, ch, h, w))
        oh, ow = _out(h, w, k, k if s is None else s)
        dout = r.standard_normal((n, ch, oh, ow))
        expect_array(_call(sub, x, dout, k, s), _call(ref, x, dout, k, s), name="dx", context=_ctx(x, k, s))

    for_all(rng, _cases(), case, examples=10)


def check_float32_stays_float32(sub, ref, rng):
    x = _distinct(rng, (2, 3, 7, 8)).astype(np.float32)
    dout = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    expect_array(sub(x, dout, 3, stride=2), ref(x, dout, 3, stride=2), name="dx",
                 context="float32 inputs, kernel_size=3, stride=2", dtype=np.float32)


def speed_case(rng):
    x = _distinct(rng, (16, 16, 32, 32))
    return (x, rng.standard_normal((16, 16, 15, 15)), 3), {"stride": 2}
