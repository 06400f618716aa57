"""Hidden checks for conv2d-backward: finite differences, the adjoint identity, strides, padding, dtypes."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, for_all, numeric_grad


def _grad_error(analytic, numeric):
    """max|a - n| / max(1e-8, max(|a| + |n|)): the error relative to the gradient's scale.

    A coordinate whose gradient is ~0 is then judged by its absolute accuracy, not by the ratio of two
    rounding errors (coordinate by coordinate, a correct gradient fails about once in a thousand runs).
    """
    scale = float(np.max(np.abs(analytic) + np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(1e-8, scale)


NAMES = ("dx", "dw", "db")

# (N, C, H, W, F, KH, KW, stride, padding): sizes differ pairwise to catch transposes and swaps
CASES = [
    (2, 3, 7, 9, 4, 3, 2, 1, 0),
    (2, 3, 8, 6, 5, 3, 3, 2, 1),
    (3, 2, 11, 10, 4, 4, 3, 3, 2),
    (1, 4, 5, 7, 3, 1, 1, 1, 0),      # 1x1 kernel
    (2, 3, 6, 5, 7, 6, 5, 1, 0),      # full-size kernel: output 1x1
    (2, 1, 9, 8, 3, 2, 3, 2, 0),      # stride 2 discards the last row: its gradient is 0
    (3, 5, 4, 6, 2, 3, 5, 1, 2),      # padding larger than needed
]


def _expect_shape(got, like, name, ctx, dtype=None):
    """Type, dtype, shape and finiteness only (finite tolerances: np.isclose rejects infinite ones)."""
    expect_array(got, like, name=name, context=ctx, rtol=0.0, atol=1e300, dtype=dtype)


def _expect_grad(analytic, f, x, dout, *, name, rng, context, tol=1e-6):
    """Centred finite differences of sum(f(x) * dout) at 10 sampled coordinates of x."""
    _expect_shape(analytic, np.zeros_like(x), name, context)
    indices, numeric = numeric_grad(f, x, dout, rng=rng)
    got = np.array([analytic[i] for i in indices])
    err = _grad_error(got, numeric)
    if err > tol:
        k = int(np.argmax(np.abs(got - numeric)))
        raise CheckFailed(f"{context}: {name} disagrees with finite differences: at {list(indices[k])} "
                          f"numeric {numeric[k]:.6g}, yours {got[k]:.6g} (relative error {err:.2g} > {tol:g})")


def _out_size(h, w, kh, kw, stride, padding):
    return (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1


def _args(rng, n, c, h, w, f, kh, kw, stride, padding):
    oh, ow = _out_size(h, w, kh, kw, stride, padding)
    return (rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, kh, kw)),
            rng.standard_normal((n, f, oh, ow)))


def _forward(x, w, b, stride, padding):
    """The conv2d forward, straight from its definition (independent of the reference)."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    xp[:, :, padding:padding + h, padding:padding + wd] = x
    oh, ow = _out_size(h, wd, kh, kw, stride, padding)
    out = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b[None, :, None, None]


def _grads(impl, x, w, dout, stride, padding, ctx, dtype=None):
    got = expect_tuple(impl(x, w, dout, stride=stride, padding=padding), NAMES, context=ctx)
    shapes = (x, w, np.zeros(w.shape[0], dtype=x.dtype))
    for name, g, like in zip(NAMES, got, shapes):
        _expect_shape(g, like, name, ctx, dtype)
    return got


def _finite_difference_case(sub, rng, n, c, h, w, f, kh, kw, s, p):
    x, k, dout = _args(rng, n, c, h, w, f, kh, kw, s, p)
    b = rng.standard_normal(f)
    ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
    dx, dw, db = _grads(sub, x, k, dout, s, p, ctx)
    _expect_grad(dx, lambda v: _forward(v, k, b, s, p), x, dout, name="dx", rng=rng, context=ctx)
    _expect_grad(dw, lambda v: _forward(x, v, b, s, p), k, dout, name="dw", rng=rng, context=ctx)
    _expect_grad(db, lambda v: _forward(x, k, v, s, p), b, dout, name="db", rng=rng, context=ctx)


def check_finite_differences(sub, rng):
    _finite_difference_case(sub, rng, 2, 3, 6, 5, 4, 3, 2, 2, 1)
    _finite_difference_case(sub, rng, 1, 2, 7, 8, 3, 2, 3, 1, 0)


def check_adjoint_identity(sub, rng):
    """conv is linear in x and in w: <dout, conv(x, w)> = <x, dx> = <w, dw>, and db sums dout."""
    for n, c, h, w, f, kh, kw, s, p in [(2, 3, 9, 7, 4, 3, 2, 2, 1), (3, 2, 8, 10, 5, 4, 4, 3, 2)]:
        x, k, dout = _args(rng, n, c, h, w, f, kh, kw, s, p)
        ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
        dx, dw, db = _grads(sub, x, k, dout, s, p, ctx)
        lhs = np.sum(dout * _forward(x, k, np.zeros(f), s, p))
        for name, value in (("<x, dx>", np.sum(x * dx)), ("<w, dw>", np.sum(k * dw))):
            expect_number(float(value), float(lhs), name=f"{name} (it should equal <dout, conv(x, w)>)",
                          context=ctx, rtol=1e-9, atol=1e-9)
        expect_array(db, dout.sum(axis=(0, 2, 3)), name="db", context=ctx)


def check_hand_worked_example(sub):
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    dout = np.ones((1, 1, 2, 2))
    ctx = "x = arange(9).reshape(1, 1, 3, 3), w = ones((1, 1, 2, 2)), dout = ones, stride=1"
    dx, dw, db = _grads(sub, x, w, dout, 1, 0, ctx)
    expect_array(dx, np.array([[[[1.0, 2, 1], [2, 4, 2], [1, 2, 1]]]]), name="dx", context=ctx)
    expect_array(dw, np.array([[[[8.0, 12], [20, 24]]]]), name="dw", context=ctx)
    expect_array(db, np.array([4.0]), name="db", context=ctx)


def check_shapes_strides_and_padding(sub, ref, rng):
    for n, c, h, w, f, kh, kw, s, p in CASES:
        x, k, dout = _args(rng, n, c, h, w, f, kh, kw, s, p)
        ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
        got = _grads(sub, x, k, dout, s, p, ctx)
        for name, g, e in zip(NAMES, got, ref(x, k, dout, stride=s, padding=p)):
            expect_array(g, e, name=name, context=ctx)


def check_kernel_not_flipped(sub, ref, rng):
    x = rng.standard_normal((1, 2, 5, 6))
    w = np.arange(12.0).reshape(1, 2, 2, 3)  # asymmetric: a flip changes dx
    dout = rng.standard_normal((1, 1, 4, 4))
    ctx = "asymmetric 2x3 kernel, x (1, 2, 5, 6), stride=1, padding=0"
    got = _grads(sub, x, w, dout, 1, 0, ctx)
    for name, g, e in zip(NAMES, got, ref(x, w, dout)):
        expect_array(g, e, name=name, context=ctx)


@st.composite
def _cases(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return (draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4)), kh, kw,
            draw(st.integers(1, 3)), draw(st.integers(0, 2)), draw(st.integers(kh, 11)), draw(st.integers(kw, 11)),
            10.0 ** draw(st.integers(-3, 3)), draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        n, ch, f, kh, kw, s, p, h, w, scale, seed = c
        x, k, dout = _args(np.random.default_rng(seed), n, ch, h, w, f, kh, kw, s, p)
        x = x * scale
        ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
        got = _grads(sub, x, k, dout, s, p, ctx)
        for name, g, e in zip(NAMES, got, ref(x, k, dout, stride=s, padding=p)):
            expect_array(g, e, name=name, context=ctx)

    for_all(rng, _cases(), case, examples=8)


def check_float32_stays_float32(sub, ref, rng):
    x, k, dout = (a.astype(np.float32) for a in _args(rng, 2, 3, 7, 6, 4, 3, 2, 2, 1))
    ctx = "float32 inputs, stride=2, padding=1"
    got = _grads(sub, x, k, dout, 2, 1, ctx, dtype=np.float32)
    for name, g, e in zip(NAMES, got, ref(x, k, dout, stride=2, padding=1)):
        expect_array(g, e, name=name, context=ctx, dtype=np.float32)


def speed_case(rng):
    x, w, dout = _args(rng, 8, 16, 32, 32, 32, 3, 3, 1, 1)
    return (x, w, dout), {"stride": 1, "padding": 1}
