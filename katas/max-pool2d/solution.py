from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d(x, kernel_size, stride=None):
    """2-D max pooling (square window, no padding): (N, C, H, W) -> (N, C, OH, OW).

    stride defaults to kernel_size; OH = (H - kernel_size) // stride + 1, likewise OW.
    """
    k = kernel_size
    s = k if stride is None else stride
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]  # (N, C, OH, OW, k, k)
    return windows.max(axis=(4, 5))
