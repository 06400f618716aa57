import numpy as np


def _softplus(t):
    """log(1 + exp(t)) without overflow: max(t, 0) + log1p(exp(-|t|))."""
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gan_losses(real_logits, fake_logits):
    """Discriminator and non-saturating generator losses from the discriminator's logits.

    real_logits: (M,) on real samples; fake_logits: (K,) on generated samples.
    Returns (d_loss, g_loss) as floats.
    """
    # -log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t)
    d_loss = np.mean(_softplus(-real_logits)) + np.mean(_softplus(fake_logits))
    g_loss = np.mean(_softplus(-fake_logits))
    return float(d_loss), float(g_loss)
