import numpy as np


def lstm_cell(x, h, c, W, U, b):
    """One LSTM step; gates i, f, g, o. x (N, D), h and c (N, H), W (D, 4H), U (H, 4H), b (4H,).

    Returns (h_next, c_next), each (N, H).
    """
    raise NotImplementedError("write lstm_cell")
