import numpy as np


def beam_search(next_logprobs, bos, eos, beam_size, max_len):
    """next_logprobs(prefix list) -> (V,) log-probs. Returns (best tokens without bos, total log-prob)."""
    raise NotImplementedError("write beam_search")
