import numpy as np


def gru_cell(x, h, W, U, b_w, b_u):
    """One GRU step (PyTorch convention); gate blocks in the order r, z, n.

    x (N, D), h (N, H), W (D, 3H), U (H, 3H), b_w and b_u (3H,). Returns h_next (N, H).
    """
    raise NotImplementedError("write gru_cell")
