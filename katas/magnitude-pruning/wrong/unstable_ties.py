"""Uses an unstable sort, so ties are broken in an arbitrary order rather than first-come.
用了不稳定的排序，并列时的顺序任意，而不是先出现的先剪。
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
    keep[np.argsort(-flat)[::-1][:k]] = False
    masks = [m.reshape(w.shape) for m, w in zip(np.split(keep, np.cumsum(sizes)[:-1]), weights)]
    pruned = [np.where(m, w, np.zeros((), dtype=w.dtype)) for w, m in zip(weights, masks)]
    return pruned, masks
