"""The dilated dout aligned to the bottom-right of the grid: rows/columns no window reaches get gradient at the top-left instead.
膨胀后的 dout 对齐到了网格的右下角：本该梯度为 0 的、没有窗口覆盖的行/列跑到了左上角。
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_backward(x, w, dout, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    hp, wp = xp.shape[2:]
    dil = np.zeros((n, f, hp - kh + 1, wp - kw + 1), dtype=dout.dtype)
    dil[:, :, ::-1, ::-1][:, :, ::stride, ::stride] = dout[:, :, ::-1, ::-1]  # counted from the end
    full = np.pad(dil, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    win = sliding_window_view(full, (kh, kw), axis=(2, 3))  # (N, F, HP, WP, KH, KW)
    dxp = np.einsum("nfhwuv,fcuv->nchw", win, w[:, :, ::-1, ::-1])
    xwin = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nchwuv,nfhw->fcuv", xwin, dout)
    return dxp[:, :, padding:padding + h, padding:padding + wd], dw, dout.sum(axis=(0, 2, 3))
