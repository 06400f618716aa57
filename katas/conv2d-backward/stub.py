import numpy as np


def conv2d_backward(x, w, dout, stride=1, padding=0):
    """Backward pass of the conv2d kata's forward (cross-correlation, zero padding).

    x: (N, C, H, W) input; w: (F, C, KH, KW) filters; dout: (N, F, OH, OW) upstream gradient
    with OH = (H + 2*padding - KH) // stride + 1 (same for W).
    Returns (dx, dw, db) of shapes (N, C, H, W), (F, C, KH, KW) and (F,).
    """
    raise NotImplementedError("write conv2d_backward")
