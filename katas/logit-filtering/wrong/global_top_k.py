"""Applies top-k over the whole batch at once instead of row by row.
对整个批次一起做 top-k，而不是逐行做。
"""
import numpy as np


def filter_logits(logits, temperature=1.0, top_k=None, top_p=None):
    """Temperature, then top-k, then top-p (nucleus) filtering of next-token logits (N, V).

    Returns the scaled logits with -inf at every removed token.
    """
    out = logits / temperature
    if top_k is not None and top_k < out.shape[-1]:
        kth = np.sort(out, axis=None)[-top_k * out.shape[0]]
        out = np.where(out >= kth, out, -np.inf)
    if top_p is not None:
        order = np.argsort(-out, axis=-1, kind="stable")
        ranked = np.take_along_axis(out, order, axis=-1)
        probs = np.exp(ranked - ranked[:, :1])
        probs /= probs.sum(axis=-1, keepdims=True)
        before = np.cumsum(probs, axis=-1) - probs      # mass of the tokens ranked above each one
        keep_ranked = before < top_p
        keep_ranked[:, 0] = True                        # the most likely token always stays
        keep = np.empty_like(keep_ranked)
        np.put_along_axis(keep, order, keep_ranked, axis=-1)
        out = np.where(keep, out, -np.inf)
    return out
