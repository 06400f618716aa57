import numpy as np


def gan_losses(real_logits, fake_logits):
    """GAN losses computed stably from the discriminator's logits.

    real_logits: (M,) the discriminator's logits on real samples.
    fake_logits: (K,) its logits on generated samples G(z).
    Returns (d_loss, g_loss), two floats:
      d_loss = -mean(log D(x_real)) - mean(log(1 - D(G(z))))
      g_loss = -mean(log D(G(z)))           (the non-saturating generator loss)
    with D = sigmoid(logit).
    """
    raise NotImplementedError("write gan_losses")
