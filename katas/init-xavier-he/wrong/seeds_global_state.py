"""Seeds the global generator (np.random.seed(seed)) and draws from np.random instead of a local default_rng.
给全局生成器设种子（np.random.seed(seed)），再从 np.random 抽样，而不是用局部的 default_rng。
"""
import numpy as np


def xavier_uniform(fan_in, fan_out, seed):
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    np.random.seed(seed)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.uniform(-a, a, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, seed):
    """He/Kaiming normal for ReLU layers: N(0, 2 / fan_in); shape (fan_in, fan_out)."""
    np.random.seed(seed)
    return np.random.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
