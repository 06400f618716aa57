import numpy as np


def xavier_uniform(fan_in, fan_out, seed):
    """(fan_in, fan_out) float64 from U(-a, a), a = sqrt(6 / (fan_in + fan_out)); use np.random.default_rng(seed)."""
    raise NotImplementedError("write xavier_uniform")


def he_normal(fan_in, fan_out, seed):
    """(fan_in, fan_out) float64 from N(0, 2 / fan_in); use np.random.default_rng(seed)."""
    raise NotImplementedError("write he_normal")
