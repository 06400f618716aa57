"""log(softmax(z)) instead of a log-softmax: -inf for classes thousands below the maximum.
用 log(softmax(z)) 而不是 log-softmax：比最大值低上千的类别得到 -inf。
"""
import numpy as np


def label_smoothing_ce(logits, y, eps=0.1):
    """Mean cross-entropy with label smoothing (PyTorch's F.cross_entropy(..., label_smoothing=eps)).

    logits: (N, K); y: (N,) integer labels in [0, K). Returns (loss, dlogits): a float and an (N, K) array
    with the dtype of logits.
    """
    n, k = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)  # per row: rows may sit at very different scales
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    log_probs = np.log(probs)
    target = np.full(logits.shape, eps / k, dtype=logits.dtype)  # q = (1 - eps) * onehot + eps / K
    target[np.arange(n), y] += 1.0 - eps
    loss = float(-(target * log_probs).sum() / n)
    dlogits = (np.exp(log_probs) - target) / n
    return loss, dlogits.astype(logits.dtype, copy=False)
