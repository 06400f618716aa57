import numpy as np


def clip_loss(img, txt, temperature):
    """Symmetric InfoNCE (CLIP) loss of paired embeddings img, txt (N, D); row i of each is a matching pair.

    logits = (img / |img|) @ (txt / |txt|).T / temperature (row-wise L2 norms);
    loss = mean of the image->text and text->image cross-entropies (each a mean over the N rows / columns).
    Returns (loss, d_img, d_txt): loss a Python float; d_img, d_txt (N, D) the gradients of loss with
    respect to img and txt as given (before normalisation), in the inputs' dtype.
    """
    raise NotImplementedError("write clip_loss")
