import numpy as np


def greedy_decode(next_logprobs, bos, eos, max_len):
    """next_logprobs(prefix list) -> (V,) log-probs. Returns (generated tokens without bos, total log-prob)."""
    raise NotImplementedError("write greedy_decode")
