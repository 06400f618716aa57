"""Writes dx with `=` instead of `+=`: overlapping windows overwrite each other's gradient.
写 dx 时用了 `=` 而不是 `+=`：重叠的窗口互相覆盖了梯度。
"""
import numpy as np


def conv2d_backward(x, w, dout, stride=1, padding=0):
    h, wd = x.shape[2:]
    kh, kw = w.shape[2:]
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, r:r + kh, c:c + kw])
            dxp[:, :, r:r + kh, c:c + kw] = np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
    return dxp[:, :, padding:padding + h, padding:padding + wd], dw, dout.sum(axis=(0, 2, 3))
