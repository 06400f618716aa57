import numpy as np


def vae_loss(x, x_logits, mu, logvar, eps):
    """The reparameterization trick and the VAE loss (negative ELBO).

    x: (N, D) targets in [0, 1]; x_logits: (N, D) the decoder's logits;
    mu, logvar: (N, L) the encoder's outputs; eps: (N, L) standard normal noise.
    Returns (z, recon, kl, loss): z of shape (N, L), then three floats
    (each summed over its feature axis and averaged over the batch; loss = recon + kl).
    """
    raise NotImplementedError("write vae_loss")
