"""Uses sqrt(1 / fan_in) (LeCun) for He: half the variance ReLU layers need.
He 初始化用了 sqrt(1 / fan_in)（LeCun）：方差只有 ReLU 层所需的一半。
"""
import numpy as np


def xavier_uniform(fan_in, fan_out, seed):
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, seed):
    """He/Kaiming normal for ReLU layers: N(0, 2 / fan_in); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
