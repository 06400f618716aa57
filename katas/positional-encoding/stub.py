import numpy as np


def sinusoidal_positions(T, d):
    """(T, d) float64: PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d))."""
    raise NotImplementedError("write sinusoidal_positions")
