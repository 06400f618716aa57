"""Takes the maximum over the channels too, then broadcasts it back to every channel.
把通道也一起取了最大值，再广播回每个通道。
"""
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    out = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s].max(axis=(4, 5))
    return out.max(axis=1, keepdims=True) + 0 * out
