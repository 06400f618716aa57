"""db averaged over the batch instead of summed (the forward adds b to every sample and pixel).
db 在批上取了平均而不是求和（前向把 b 加到了每个样本、每个像素上）。
"""
import numpy as np


def conv2d_backward(x, w, dout, stride=1, padding=0):
    h, wd = x.shape[2:]
    kh, kw = w.shape[2:]
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for u in range(kh):
        for v in range(kw):
            rows = slice(u, u + stride * (oh - 1) + 1, stride)
            cols = slice(v, v + stride * (ow - 1) + 1, stride)
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    db = dout.sum(axis=(2, 3)).mean(axis=0)
    return dxp[:, :, padding:padding + h, padding:padding + wd], dw, db
