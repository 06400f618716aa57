"""Keeps exactly k tokens by argsort position, so tokens tied with the k-th largest value are dropped.
按 argsort 的位置恰好保留 k 个词元，于是与第 k 大的值并列的词元被去掉了。
"""
import numpy as np


def filter_logits(logits, temperature=1.0, top_k=None, top_p=None):
    out = logits / temperature
    if top_k is not None and top_k < out.shape[-1]:
        drop = np.argsort(out, axis=-1, kind="stable")[:, :-top_k]
        out = out.copy()
        np.put_along_axis(out, drop, -np.inf, axis=-1)
    if top_p is not None:
        order = np.argsort(-out, axis=-1, kind="stable")
        ranked = np.take_along_axis(out, order, axis=-1)
        probs = np.exp(ranked - ranked[:, :1])
        probs /= probs.sum(axis=-1, keepdims=True)
        before = np.cumsum(probs, axis=-1) - probs
        keep_ranked = before < top_p
        keep_ranked[:, 0] = True
        keep = np.empty_like(keep_ranked)
        np.put_along_axis(keep, order, keep_ranked, axis=-1)
        out = np.where(keep, out, -np.inf)
    return out
