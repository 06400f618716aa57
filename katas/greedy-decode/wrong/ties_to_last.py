"""Breaks ties toward the highest token id.
并列时取了 id 最大的词元。
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
        token = int(len(logp) - 1 - np.argmax(logp[::-1]))
        seq.append(token)
        score += float(logp[token])
        if token == eos:
            break
    return seq[1:], score
