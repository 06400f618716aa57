"""Rounds sparsity * n to the nearest integer instead of taking the floor.
把 sparsity * n 四舍五入到最近的整数，而不是向下取整。
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
    k = int(round(sparsity * flat.size))
    keep = np.ones(flat.size, dtype=bool)
    keep[np.argsort(flat, kind="stable")[:k]] = False
    masks = [m.reshape(w.shape) for m, w in zip(np.split(keep, np.cumsum(sizes)[:-1]), weights)]
    pruned = [np.where(m, w, np.zeros((), dtype=w.dtype)) for w, m in zip(weights, masks)]
    return pruned, masks
