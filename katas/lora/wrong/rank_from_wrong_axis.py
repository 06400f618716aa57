"""The rank is read as A.shape[0] (PyTorch's (r, D_in) layout), which here is D_in.
秩取成了 A.shape[0]（PyTorch 的 (r, D_in) 布局），在这里其实是 D_in。
"""


def lora_forward(x, W, A, B, alpha):
    """LoRA layer: y = x @ W + (alpha / r) * (x @ A) @ B, for x of shape (..., D_in).

    W (D_in, D_out) frozen, A (D_in, r), B (r, D_out), r = A.shape[1]. Returns y of shape (..., D_out).
    """
    scale = alpha / A.shape[0]
    # the low-rank path through r: never forms the (D_in, D_out) product A @ B
    return x @ W + scale * ((x @ A) @ B)


def lora_merge(W, A, B, alpha):
    """The merged weight W + (alpha / r) * A @ B, shape (D_in, D_out): x @ merged equals lora_forward."""
    return W + (alpha / A.shape[0]) * (A @ B)
