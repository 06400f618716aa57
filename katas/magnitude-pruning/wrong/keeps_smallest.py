"""Keeps the k smallest magnitudes and prunes the rest (the mask is inverted).
保留了幅值最小的 k 个、剪掉其余的（掩码取反了）。
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
    keep = np.zeros(flat.size, dtype=bool)
    keep[np.argsort(flat, kind="stable")[:flat.size - k]] = True
    masks = [m.reshape(w.shape) for m, w in zip(np.split(keep, np.cumsum(sizes)[:-1]), weights)]
    pruned = [np.where(m, w, np.zeros((), dtype=w.dtype)) for w, m in zip(weights, masks)]
    return pruned, masks
