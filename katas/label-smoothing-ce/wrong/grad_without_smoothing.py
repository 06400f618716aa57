"""Gradient of the unsmoothed loss: softmax - onehot(y), although the loss is smoothed.
梯度用的是未平滑的损失：softmax - onehot(y)，尽管损失做了平滑。
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
    target = np.full(logits.shape, eps / k, dtype=logits.dtype)  # q = (1 - eps) * onehot + eps / K
    target[np.arange(n), y] += 1.0 - eps
    loss = float(-(target * log_probs).sum() / n)
    onehot = np.zeros_like(logits)
    onehot[np.arange(n), y] = 1.0
    dlogits = (np.exp(log_probs) - onehot) / n
    return loss, dlogits.astype(logits.dtype, copy=False)
