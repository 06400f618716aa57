"""Uses 12 bytes per parameter (forgets the fp16 copies or the fp32 master weights).
每个参数按 12 字节算（漏了 fp16 副本或 fp32 主权重）。
"""
def transformer_params(n_layers, d_model, vocab, d_ff=None, tied=True):
    """Exact parameter count of a GPT-style decoder-only transformer (see the statement for what counts)."""
    d = d_model
    ff = 4 * d if d_ff is None else d_ff
    attention = 4 * d * d + 4 * d          # W_q, W_k, W_v, W_o and their biases
    mlp = d * ff + ff + ff * d + d         # up and down projections with biases
    norms = 2 * 2 * d                      # two LayerNorms (gain and bias) per block
    total = n_layers * (attention + mlp + norms)
    total += vocab * d                     # token embedding (no learned positions)
    total += 2 * d                         # final LayerNorm
    if not tied:
        total += vocab * d                 # separate output projection, no bias
    return total


def training_flops(n_params, n_tokens):
    """About 6 FLOPs per parameter per token: 2 forward, 4 backward."""
    return 6 * n_params * n_tokens


def training_memory_bytes(n_params, n_layers, d_model, n_heads, batch, seq):
    """Bytes for mixed-precision Adam training without activation recomputation.

    Returns {"weights_grads_optimizer": 16 N, "activations": L (34 s b d + 5 a s^2 b), "total": ...}.
    """
    states = 12 * n_params
    activations = n_layers * (34 * seq * batch * d_model + 5 * n_heads * seq * seq * batch)
    return {"weights_grads_optimizer": states, "activations": activations, "total": states + activations}
