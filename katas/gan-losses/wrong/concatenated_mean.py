"""Discriminator loss as one mean over real and fake terms together instead of the sum of two means."""
import numpy as np


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gan_losses(real_logits, fake_logits):
    d_loss = np.mean(np.concatenate([_softplus(-real_logits), _softplus(fake_logits)]))
    g_loss = np.mean(_softplus(-fake_logits))
    return float(d_loss), float(g_loss)
