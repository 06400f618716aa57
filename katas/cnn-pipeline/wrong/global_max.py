"""Softmax shifted by the global maximum instead of each row's: a row thousands below it underflows (log 0).
softmax 减去的是全局最大值而不是每行的最大值：比它低几千的行下溢（log 0）。
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _windows(x, conv_w, padding):
    """windows[n, c, i, j, u, v] = xp[n, c, i + u, j + v] (stride 1), a view of the padded input."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    return sliding_window_view(x, conv_w.shape[2:], axis=(2, 3))


def _pool_windows(h, pool):
    """(N, F, PH, PW, pool*pool): each pooling window flattened in row-major order (floor: leftovers dropped)."""
    n, f, oh, ow = h.shape
    ph, pw = oh // pool, ow // pool
    crop = h[:, :, :ph * pool, :pw * pool].reshape(n, f, ph, pool, pw, pool)
    return crop.transpose(0, 1, 2, 4, 3, 5).reshape(n, f, ph, pw, pool * pool)


def cnn_forward(x, conv_w, conv_b, fc_w, fc_b, padding=0, pool=2):
    """conv (stride 1) -> ReLU -> max-pool (pool x pool, stride pool) -> flatten -> fully connected.

    Returns (a, h, p, scores): conv output (N, F, OH, OW), its ReLU, the pooled map (N, F, PH, PW)
    and the class scores (N, K).
    """
    a = np.einsum("ncijuv,fcuv->nfij", _windows(x, conv_w, padding), conv_w) + conv_b[:, None, None]
    h = np.maximum(a, 0.0)
    p = _pool_windows(h, pool).max(axis=-1)
    scores = p.reshape(len(x), -1) @ fc_w + fc_b
    return a, h, p, scores


def cnn_loss(x, y, conv_w, conv_b, fc_w, fc_b, padding=0, pool=2):
    """Mean softmax cross-entropy of the pipeline and its gradients.

    Returns (loss, dconv_w, dconv_b, dfc_w, dfc_b).
    """
    n = len(x)
    a, h, p, scores = cnn_forward(x, conv_w, conv_b, fc_w, fc_b, padding, pool)
    shifted = scores - scores.max()  # the global maximum: a row far below it underflows to 0/0
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()

    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    dscores /= n
    flat = p.reshape(n, -1)
    dfc_w = flat.T @ dscores
    dfc_b = dscores.sum(axis=0)
    dp = (dscores @ fc_w.T).reshape(p.shape)

    # max-pool: each window's gradient goes to its first maximum in row-major order (argmax)
    win = _pool_windows(h, pool)
    onehot = np.zeros_like(win)
    np.put_along_axis(onehot, win.argmax(axis=-1)[..., None], 1.0, axis=-1)
    nb, f, ph, pw, _ = win.shape
    dwin = (onehot * dp[..., None]).reshape(nb, f, ph, pw, pool, pool).transpose(0, 1, 2, 4, 3, 5)
    dh = np.zeros_like(h)
    dh[:, :, :ph * pool, :pw * pool] = dwin.reshape(nb, f, ph * pool, pw * pool)

    da = dh * (a > 0)  # ReLU: derivative 1 for a > 0, 0 for a <= 0
    dconv_w = np.einsum("ncijuv,nfij->fcuv", _windows(x, conv_w, padding), da)
    dconv_b = da.sum(axis=(0, 2, 3))
    return loss, dconv_w, dconv_b, dfc_w, dfc_b
