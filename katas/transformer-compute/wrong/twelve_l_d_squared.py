"""Returns the 12 L d^2 rule of thumb instead of the exact count (no biases, norms or embeddings).
返回 12 L d^2 的经验估计，而不是精确值（没有偏置、LayerNorm 和嵌入）。
"""


def transformer_params(n_layers, d_model, vocab, d_ff=None, tied=True):
    return 12 * n_layers * d_model * d_model


def training_flops(n_params, n_tokens):
    return 6 * n_params * n_tokens


def training_memory_bytes(n_params, n_layers, d_model, n_heads, batch, seq):
    states = 16 * n_params
    activations = n_layers * (34 * seq * batch * d_model + 5 * n_heads * seq * seq * batch)
    return {"weights_grads_optimizer": states, "activations": activations, "total": states + activations}
