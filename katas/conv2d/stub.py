import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    """2-D convolution (cross-correlation) forward.

    x: (N, C, H, W); w: (F, C, KH, KW); b: (F,) or None.
    Returns (N, F, OH, OW) with OH = (H + 2*padding - KH) // stride + 1 (same for W).
    """
    raise NotImplementedError("write conv2d")
