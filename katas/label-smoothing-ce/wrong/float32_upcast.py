"""Target built in float64, so float32 logits get a float64 gradient.
目标矩阵用 float64 构造，float32 的 logits 得到了 float64 的梯度。
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
    target = np.full(logits.shape, eps / k)  # q = (1 - eps) * onehot + eps / K
    target[np.arange(n), y] += 1.0 - eps
    loss = float(-(target * log_probs).sum() / n)
    dlogits = (np.exp(log_probs) - target) / n
    return loss, dlogits
