import numpy as np


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    """Backward pass of 2-D max pooling (square window, no padding, stride defaults to kernel_size).

    x: (N, C, H, W) the forward's input; dout: (N, C, OH, OW) the upstream gradient with
    OH = (H - kernel_size) // stride + 1 (same for W).
    Returns dx of shape (N, C, H, W): each window's gradient goes to its first maximum
    in row-major order; overlapping windows accumulate.
    """
    raise NotImplementedError("write max_pool2d_backward")
