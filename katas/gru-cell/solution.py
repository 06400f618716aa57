import numpy as np


def _sigmoid(z):
    """1 / (1 + exp(-z)) without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell(x, h, W, U, b_w, b_u):
    """One GRU step, PyTorch convention; gate blocks in the order r, z, n.

    x (N, D), h (N, H), W (D, 3H), U (H, 3H), b_w and b_u (3H,). Returns h_next (N, H).
    """
    hid = h.shape[1]
    gx = x @ W + b_w  # input side of all three gates, (N, 3H)
    gh = h @ U + b_u  # recurrent side, bias included, (N, 3H)
    r = _sigmoid(gx[:, :hid] + gh[:, :hid])
    z = _sigmoid(gx[:, hid:2 * hid] + gh[:, hid:2 * hid])
    n = np.tanh(gx[:, 2 * hid:] + r * gh[:, 2 * hid:])  # r gates the recurrent part, its bias included
    return (1 - z) * n + z * h
