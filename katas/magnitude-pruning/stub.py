import numpy as np


def magnitude_prune(weights, sparsity):
    """Global magnitude pruning: zero the floor(sparsity * total) smallest |w| over all arrays together.

    weights: list of float arrays. Returns (pruned arrays, boolean keep masks), one per input array.
    """
    raise NotImplementedError("write magnitude_prune")
