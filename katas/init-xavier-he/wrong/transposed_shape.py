"""Returns (fan_out, fan_in), PyTorch's Linear layout, instead of (fan_in, fan_out).
返回 (fan_out, fan_in)，即 PyTorch Linear 的布局，而不是 (fan_in, fan_out)。
"""
import numpy as np


def xavier_uniform(fan_in, fan_out, seed):
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_out, fan_in))


def he_normal(fan_in, fan_out, seed):
    """He/Kaiming normal for ReLU layers: N(0, 2 / fan_in); shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
