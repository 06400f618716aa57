import numpy as np


def lora_forward(x, W, A, B, alpha):
    """LoRA layer: y = x @ W + (alpha / r) * x @ A @ B, for x of shape (..., D_in).

    W (D_in, D_out), A (D_in, r), B (r, D_out), r = A.shape[1]. Returns y of shape (..., D_out).
    """
    raise NotImplementedError("write lora_forward")


def lora_merge(W, A, B, alpha):
    """The merged weight W + (alpha / r) * A @ B, shape (D_in, D_out)."""
    raise NotImplementedError("write lora_merge")
