"""dx as a full correlation of the (dilated) dout with the kernel, forgetting to flip the kernel.
把（膨胀后的）dout 与卷积核做 full 互相关来求 dx，却忘了翻转卷积核。
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_backward(x, w, dout, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    hp, wp = xp.shape[2:]
    # dout dilated by the stride, placed at the top-left corner of an (HP - KH + 1, WP - KW + 1) grid
    dil = np.zeros((n, f, hp - kh + 1, wp - kw + 1))
    dil[:, :, ::stride, ::stride][:, :, :oh, :ow] = dout
    full = np.pad(dil, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    win = sliding_window_view(full, (kh, kw), axis=(2, 3))  # (N, F, HP, WP, KH, KW)
    dxp = np.einsum("nfhwuv,fcuv->nchw", win, w)  # should use w[:, :, ::-1, ::-1]
    xwin = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nchwuv,nfhw->fcuv", xwin, dout)
    return dxp[:, :, padding:padding + h, padding:padding + wd], dw, dout.sum(axis=(0, 2, 3))
