"""Hidden checks for layer norm: hand values, statistics of the output, last-axis (not batch) normalisation,
biased variance, eps placement, finite differences for all three gradients, 3-D inputs."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, for_all

NAMES = ("dx", "dgamma", "dbeta")


def _forward(x, gamma, beta, eps=1e-5):
    """Row by row, from the definition."""
    flat = x.reshape(-1, x.shape[-1])
    out = np.empty_like(flat)
    for i, row in enumerate(flat):
        mu = sum(row) / len(row)
        var = sum((v - mu) ** 2 for v in row) / len(row)
        out[i] = gamma * (row - mu) / np.sqrt(var + eps) + beta
    return out.reshape(x.shape)


def check_hand_computed_example(sub):
    x = np.array([[1.0, 2.0, 3.0, 6.0], [0.0, 0.0, 1.0, -1.0]])
    gamma, beta = np.array([1.0, 2.0, 0.5, 1.0]), np.array([0.0, 0.1, 0.0, -0.1])
    expect_array(sub(x, gamma, beta), _forward(x, gamma, beta), context="the example of the statement")


def check_output_statistics(sub, rng):
    x = rng.standard_normal((6, 32)) * 5 + 3
    out = expect_array(sub(x, np.ones(32), np.zeros(32)), _forward(x, np.ones(32), np.zeros(32)),
                       context="gamma = 1, beta = 0, x (6, 32) with mean 3 and std 5")
    expect_array(out.mean(axis=-1), np.zeros(6), name="mean of each row", context="gamma = 1, beta = 0", atol=1e-12)
    expect_array(out.var(axis=-1), x.var(axis=-1) / (x.var(axis=-1) + 1e-5),
                 name="variance of each row", context="gamma = 1, beta = 0 (biased variance, eps inside)")


def check_normalises_the_last_axis_not_the_batch(sub, rng):
    x = rng.standard_normal((3, 5)) * np.array([[1.0], [100.0], [0.01]])
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    expect_array(sub(x, gamma, beta), _forward(x, gamma, beta),
                 context="rows at scales 1, 100 and 0.01: each row normalised by its own statistics")


def check_three_dimensional_input(sub, rng):
    x = rng.standard_normal((2, 3, 7))
    gamma, beta = rng.standard_normal(7), rng.standard_normal(7)
    expect_array(sub(x, gamma, beta), _forward(x, gamma, beta), context="x (B=2, L=3, D=7)")


def check_eps_matters_for_constant_rows(sub, rng):
    x = np.full((2, 4), 3.0)
    x[1] += np.array([0.0, 1e-3, 0.0, -1e-3])
    gamma, beta = np.ones(4), np.zeros(4)
    for eps in (1e-5, 1e-2):
        expect_array(sub(x, gamma, beta, eps=eps), _forward(x, gamma, beta, eps), context=f"a constant row and a row "
                     f"with variance 5e-7, eps={eps} (inside the square root)")


def check_finite_differences(sub, rng):
    for shape in ((4, 6), (2, 3, 5)):
        x = rng.standard_normal(shape)
        gamma, beta = rng.standard_normal(shape[-1]), rng.standard_normal(shape[-1])
        dout = rng.standard_normal(shape)
        ctx = f"x {shape}"
        grads = expect_tuple(sub.fn("layernorm_backward")(dout, x, gamma), NAMES, context=ctx)
        expect_grad(grads[0], lambda v, g=gamma, b=beta: _forward(v, g, b), x, dout, name="dx", rng=rng, context=ctx)
        expect_grad(grads[1], lambda v, x=x, b=beta: _forward(x, v, b), gamma, dout, name="dgamma", rng=rng,
                    context=ctx + " (summed over the leading axes)")
        expect_grad(grads[2], lambda v, x=x, g=gamma: _forward(x, g, v), beta, dout, name="dbeta", rng=rng,
                    context=ctx + " (summed over the leading axes)")


@st.composite
def _cases(draw):
    lead = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=2)))
    return lead, draw(st.integers(2, 12)), draw(st.sampled_from([0.01, 1.0, 100.0])), draw(st.integers(0, 2**31))


def check_random_shapes(sub, ref, rng):
    def case(c):
        lead, d, scale, seed = c
        r = np.random.default_rng(seed)
        x = r.standard_normal((*lead, d)) * scale
        gamma, beta, dout = r.standard_normal(d), r.standard_normal(d), r.standard_normal((*lead, d))
        ctx = f"x {(*lead, d)} at scale {scale:g}"
        expect_array(sub(x, gamma, beta), ref(x, gamma, beta), context=ctx)
        got = expect_tuple(sub.fn("layernorm_backward")(dout, x, gamma), NAMES, context=ctx)
        for name, a, e in zip(NAMES, got, ref.fn("layernorm_backward")(dout, x, gamma)):
            expect_array(a, e, name=name, context=ctx, rtol=1e-6, atol=1e-9)

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (rng.standard_normal((16, 128, 768)), rng.standard_normal(768), rng.standard_normal(768)), {}
