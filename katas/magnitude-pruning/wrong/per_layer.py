"""Prunes each array to the target sparsity on its own instead of globally over all arrays.
每个数组各自剪到目标稀疏度，而不是在所有数组上全局地剪。
"""
import numpy as np


def magnitude_prune(weights, sparsity):
    pruned, masks = [], []
    for w in weights:
        flat = np.abs(w).ravel()
        k = int(np.floor(sparsity * flat.size))
        keep = np.ones(flat.size, dtype=bool)
        keep[np.argsort(flat, kind="stable")[:k]] = False
        mask = keep.reshape(w.shape)
        masks.append(mask)
        pruned.append(w * mask)
    return pruned, masks
