"""Keeps k + 1 tokens: compares with the (k+1)-th largest value.
保留了 k + 1 个词元：和第 k+1 大的值比较。
"""
import numpy as np


def filter_logits(logits, temperature=1.0, top_k=None, top_p=None):
    """Temperature, then top-k, then top-p (nucleus) filtering of next-token logits (N, V).

    Returns the scaled logits with -inf at every removed token.
    """
    out = logits / temperature
    if top_k is not None and top_k < out.shape[-1]:
        kth = np.sort(out, axis=-1)[:, -top_k - 1][:, None]
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
