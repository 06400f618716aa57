"""Only the image-to-text cross-entropy: the text-to-image direction is missing from the loss and the gradient.
只算了图像到文本的交叉熵：损失和梯度里都缺少文本到图像的方向。
"""
import numpy as np


def _cross_entropy_diagonal(logits):
    """Mean cross-entropy of each row of logits (N, N) against its diagonal entry, and its gradient."""
    n = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -np.mean(np.diagonal(log_probs))
    grad = (np.exp(log_probs) - np.eye(n, dtype=logits.dtype)) / n
    return loss, grad


def clip_loss(img, txt, temperature):
    """Symmetric InfoNCE (CLIP) loss of paired embeddings img, txt (N, D), row i of each a matching pair.

    Returns (loss, d_img, d_txt): loss a Python float, the mean of the image->text and text->image
    cross-entropies of the cosine-similarity logits / temperature; d_img, d_txt the gradients of the loss
    with respect to img and txt as given (before L2 normalisation), shape (N, D), the inputs' dtype.
    """
    img_norm = np.linalg.norm(img, axis=1, keepdims=True)
    txt_norm = np.linalg.norm(txt, axis=1, keepdims=True)
    u, v = img / img_norm, txt / txt_norm
    logits = (u @ v.T) / temperature
    loss_i2t, g_i2t = _cross_entropy_diagonal(logits)      # row i: image i against every text
    loss_t2i, g_t2i = _cross_entropy_diagonal(logits.T)    # row j: text j against every image
    g = g_i2t
    du = (g @ v) / temperature
    dv = (g.T @ u) / temperature
    # through x / |x|: remove the component along u, divide by the norm
    d_img = (du - u * np.sum(du * u, axis=1, keepdims=True)) / img_norm
    d_txt = (dv - v * np.sum(dv * v, axis=1, keepdims=True)) / txt_norm
    return float(loss_i2t), d_img, d_txt
