"""Minimax generator loss mean(log(1 - D(G(z)))) instead of the non-saturating -mean(log D(G(z))).
生成器用了极小极大损失 mean(log(1 - D(G(z))))，而不是非饱和的 -mean(log D(G(z)))。
"""
import numpy as np


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gan_losses(real_logits, fake_logits):
    d_loss = np.mean(_softplus(-real_logits)) + np.mean(_softplus(fake_logits))
    g_loss = -np.mean(_softplus(fake_logits))
    return float(d_loss), float(g_loss)
