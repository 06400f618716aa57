"""Halves the discriminator loss, (mean real BCE + mean fake BCE) / 2, instead of the sum the statement defines.
把判别器损失减半，即 (真实 BCE 均值 + 生成 BCE 均值) / 2，而不是题目定义的两者之和。
"""
import numpy as np


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gan_losses(real_logits, fake_logits):
    d_loss = 0.5 * (np.mean(_softplus(-real_logits)) + np.mean(_softplus(fake_logits)))
    g_loss = np.mean(_softplus(-fake_logits))
    return float(d_loss), float(g_loss)
