import numpy as np


def bce_with_logits(z, y):
    """Mean binary cross-entropy of sigmoid(z) against targets y, computed from logits without overflow.

    z: (N,) logits; y: (N,) targets in [0, 1]. Returns (loss as a float, dz (N,) = dloss/dz).
    """
    per_example = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    e = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(per_example.mean()), (sig - y) / z.shape[0]
