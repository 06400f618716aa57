"""Subtracts the global maximum instead of each row's: a row far below it underflows to 0/0.
减去的是全局最大值而不是每行的最大值：远低于它的行下溢成 0/0。
"""
import numpy as np


def label_smoothing_ce(logits, y, eps=0.1):
    """Mean cross-entropy with label smoothing (PyTorch's F.cross_entropy(..., label_smoothing=eps)).

    logits: (N, K); y: (N,) integer labels in [0, K). Returns (loss, dlogits): a float and an (N, K) array
    with the dtype of logits.
    """
    n, k = logits.shape
    shifted = logits - logits.max()  # per row: rows may sit at very different scales
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    target = np.full(logits.shape, eps / k, dtype=logits.dtype)  # q = (1 - eps) * onehot + eps / K
    target[np.arange(n), y] += 1.0 - eps
    loss = float(-(target * log_probs).sum() / n)
    dlogits = (np.exp(log_probs) - target) / n
    return loss, dlogits.astype(logits.dtype, copy=False)
