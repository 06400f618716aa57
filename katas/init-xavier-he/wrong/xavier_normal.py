"""Draws Xavier from a normal with the right variance instead of a uniform.
Xavier 用了方差正确的正态分布，而不是均匀分布。
"""
import numpy as np


def xavier_uniform(fan_in, fan_out, seed):
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.clip(rng.normal(0.0, a / np.sqrt(3.0), size=(fan_in, fan_out)), -a, a)


def he_normal(fan_in, fan_out, seed):
    """He/Kaiming normal for ReLU layers: N(0, 2 / fan_in); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
