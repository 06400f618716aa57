import numpy as np


def focal_loss(z, y, alpha=0.25, gamma=2.0):
    """Mean binary focal loss from logits z and labels y in {0, 1} (same shape), and its gradient.

    p = sigmoid(z); p_t = p where y == 1 else 1 - p; alpha_t = alpha where y == 1 else 1 - alpha;
    loss = mean(alpha_t * (1 - p_t)**gamma * -log(p_t)). Returns (loss, dz): a float and d(loss)/dz with z's
    shape and dtype. Must stay finite and accurate for |z| up to 1e4.
    """
    raise NotImplementedError("write focal_loss")
