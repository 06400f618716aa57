"""Uses the global np.random state and ignores the seed.
使用全局的 np.random 状态，忽略了 seed。
"""
import numpy as np


def xavier_uniform(fan_in, fan_out, seed):
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.uniform(-a, a, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, seed):
    """He/Kaiming normal for ReLU layers: N(0, 2 / fan_in); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
