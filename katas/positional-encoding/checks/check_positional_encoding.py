"""Hidden checks for sinusoidal positional encoding: hand values, the definition entry by entry, interleaving,
positions from 0, the relative-position rotation identity, sizes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, for_all


def _definition(T, d):
    pe = np.zeros((T, d))
    for pos in range(T):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe


def check_hand_computed_example(sub):
    expected = np.array([[0.0, 1.0, 0.0, 1.0],
                         [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)],
                         [math.sin(2), math.cos(2), math.sin(0.02), math.cos(0.02)]])
    expect_array(sub(3, 4), expected, context="sinusoidal_positions(3, 4)")


def check_position_zero(sub):
    expected = np.tile([0.0, 1.0], 8)[None, :]
    expect_array(sub(1, 16), expected, context="T = 1, d = 16: position 0 is [0, 1, 0, 1, ...] (sin 0, cos 0)")


def check_matches_the_definition(sub):
    for T, d in ((7, 10), (50, 64), (3, 2)):
        expect_array(sub(T, d), _definition(T, d), context=f"T = {T}, d = {d}")


def check_relative_positions_are_rotations(sub, rng):
    T, d = 40, 16
    pe = expect_array(sub(T, d), _definition(T, d), context=f"T = {T}, d = {d}")
    k = int(rng.integers(1, 10))
    for i in range(d // 2):
        w = 10000 ** (-2 * i / d)
        rot = np.array([[math.cos(w * k), -math.sin(w * k)], [math.sin(w * k), math.cos(w * k)]])
        shifted = pe[:-k, 2 * i:2 * i + 2] @ rot
        if np.max(np.abs(shifted - pe[k:, 2 * i:2 * i + 2])) > 1e-9:
            raise CheckFailed(f"T = {T}, d = {d}: column pair {i} of position pos + {k} is not the fixed rotation "
                              f"of position pos (angle {w * k:.4g}); each pair must be (sin, cos) of one frequency")


@st.composite
def _cases(draw):
    return draw(st.integers(1, 60)), 2 * draw(st.integers(1, 40))


def check_random_sizes(sub, ref, rng):
    def case(c):
        T, d = c
        expect_array(sub(T, d), ref(T, d), context=f"T = {T}, d = {d}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (4096, 1024), {}
