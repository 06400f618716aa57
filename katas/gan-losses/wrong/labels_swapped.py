"""Discriminator trained with real labelled 0 and fake labelled 1.
训练判别器时把真实样本标成 0、生成样本标成 1。
"""
import numpy as np


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gan_losses(real_logits, fake_logits):
    d_loss = np.mean(_softplus(real_logits)) + np.mean(_softplus(-fake_logits))
    g_loss = np.mean(_softplus(-fake_logits))
    return float(d_loss), float(g_loss)
