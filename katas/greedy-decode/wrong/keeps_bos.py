"""Returns the sequence with bos at its front.
返回的序列开头带着 bos。
"""
import numpy as np


def greedy_decode(next_logprobs, bos, eos, max_len):
    """Pick the most likely next token until eos or max_len generated tokens.

    next_logprobs(prefix) -> (V,) natural-log probabilities of the next token given the token list prefix.
    Returns (generated tokens without bos, including eos if produced; their total log-probability).
    """
    seq, score = [bos], 0.0
    while len(seq) - 1 < max_len:
        logp = next_logprobs(seq)
        token = int(np.argmax(logp))  # ties: the lowest token id
        seq.append(token)
        score += float(logp[token])
        if token == eos:
            break
    return seq, score
