"""Discriminator loss as one mean over real and fake terms together instead of the sum of two means.
判别器损失把真实项和生成项放在一起取一个均值，而不是两个均值之和。
"""
import numpy as np


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gan_losses(real_logits, fake_logits):
    d_loss = np.mean(np.concatenate([_softplus(-real_logits), _softplus(fake_logits)]))
    g_loss = np.mean(_softplus(-fake_logits))
    return float(d_loss), float(g_loss)
