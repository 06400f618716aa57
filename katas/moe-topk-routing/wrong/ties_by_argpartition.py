"""Top-k picked with np.argpartition and then sorted: equal logits at the k-th place are kept in argpartition's arbitrary order, not lower index first.
用 np.argpartition 选出 top-k 再排序：在第 k 名处相等的 logits 按 argpartition 的任意顺序取舍，而不是下标小的优先。
"""
import numpy as np


def moe_route(logits, k):
    t, e = logits.shape
    part = np.argpartition(-logits, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(logits, part, axis=1), axis=1, kind="stable")
    indices = np.take_along_axis(part, order, axis=1)
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    gates = np.take_along_axis(probs, indices, axis=1)
    gates /= gates.sum(axis=1, keepdims=True)
    f = np.bincount(indices.ravel(), minlength=e) / (t * k)
    return indices, gates, float(e * np.sum(f * probs.mean(axis=0)))
