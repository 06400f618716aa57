"""Returns the masks as 0/1 float arrays (to multiply by) instead of boolean arrays.
返回的掩码是 0/1 浮点数组（方便相乘），而不是布尔数组。
"""
import numpy as np


def magnitude_prune(weights, sparsity):
    """Global magnitude pruning over a list of arrays.

    Zeroes the k = floor(sparsity * total) entries of smallest |w| over ALL arrays together (ties: the
    entry that comes first in list order, then row-major order, is pruned first).
    Returns (pruned arrays, boolean keep masks), one of each per input array.
    """
    sizes = [w.size for w in weights]
    flat = np.concatenate([np.abs(w).ravel() for w in weights]) if weights else np.zeros(0)
    k = int(np.floor(sparsity * flat.size))
    keep = np.ones(flat.size, dtype=bool)
    keep[np.argsort(flat, kind="stable")[:k]] = False
    masks = [m.reshape(w.shape).astype(w.dtype) for m, w in zip(np.split(keep, np.cumsum(sizes)[:-1]), weights)]
    pruned = [w * m for w, m in zip(weights, masks)]
    return pruned, masks
