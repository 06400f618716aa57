"""Smoothing term summed over the classes instead of averaged: eps * sum_k(-log p_k).
平滑项对类别求和而不是取平均：写成了 eps * sum_k(-log p_k)。
"""
import numpy as np


def label_smoothing_ce(logits, y, eps=0.1):
    """Mean cross-entropy with label smoothing (PyTorch's F.cross_entropy(..., label_smoothing=eps)).

    logits: (N, K); y: (N,) integer labels in [0, K). Returns (loss, dlogits): a float and an (N, K) array
    with the dtype of logits.
    """
    n, k = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)  # per row: rows may sit at very different scales
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    target = np.full(logits.shape, eps, dtype=logits.dtype)
    target[np.arange(n), y] += 1.0 - eps
    loss = float(-(target * log_probs).sum() / n)
    dlogits = (np.exp(log_probs) - target) / n
    return loss, dlogits.astype(logits.dtype, copy=False)
