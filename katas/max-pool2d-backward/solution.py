import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d_backward(x, dout, kernel_size, stride=None):
    """Gradient of max pooling (square window, no padding) with respect to its input.

    x: (N, C, H, W); dout: (N, C, OH, OW) with OH = (H - kernel_size) // stride + 1 (same for W).
    Each window's gradient goes to its first maximum in row-major order; overlaps accumulate.
    """
    k = kernel_size
    s = k if stride is None else stride
    n, c, oh, ow = dout.shape
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s][:, :, :oh, :ow]
    first_max = windows.reshape(n, c, oh, ow, k * k).argmax(axis=-1)  # argmax keeps the first of ties
    rows = np.arange(oh)[:, None] * s + first_max // k
    cols = np.arange(ow)[None, :] * s + first_max % k
    nn = np.arange(n)[:, None, None, None]
    cc = np.arange(c)[None, :, None, None]
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout))
    np.add.at(dx, (nn, cc, rows, cols), dout)  # unbuffered: a pixel that wins several windows sums them
    return dx
