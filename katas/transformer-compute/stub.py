def transformer_params(n_layers, d_model, vocab, d_ff=None, tied=True):
    """Exact parameter count of a GPT-2-style decoder-only transformer, as an int."""
    raise NotImplementedError("write transformer_params")


def training_flops(n_params, n_tokens):
    """Training FLOPs of a dense transformer, as an int."""
    raise NotImplementedError("write training_flops")


def training_memory_bytes(n_params, n_layers, d_model, n_heads, batch, seq):
    """{"weights_grads_optimizer": ..., "activations": ..., "total": ...} in bytes, as ints."""
    raise NotImplementedError("write training_memory_bytes")
