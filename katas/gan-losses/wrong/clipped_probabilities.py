"""Probabilities clipped to [1e-7, 1 - 1e-7] before the log: finite, but wrong for confident logits.
取 log 前把概率截断到 [1e-7, 1 - 1e-7]：结果有限，但对自信的 logits 是错的。
"""
import numpy as np


def gan_losses(real_logits, fake_logits):
    eps = 1e-7
    d_real = np.clip(1 / (1 + np.exp(-real_logits)), eps, 1 - eps)
    d_fake = np.clip(1 / (1 + np.exp(-fake_logits)), eps, 1 - eps)
    d_loss = -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))
    g_loss = -np.mean(np.log(d_fake))
    return float(d_loss), float(g_loss)
