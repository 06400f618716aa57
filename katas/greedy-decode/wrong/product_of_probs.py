"""Multiplies probabilities and takes the log at the end: underflows on long outputs.
把概率连乘，最后才取对数：输出很长时下溢。
"""
import numpy as np


def greedy_decode(next_logprobs, bos, eos, max_len):
    """Pick the most likely next token until eos or max_len generated tokens.

    next_logprobs(prefix) -> (V,) natural-log probabilities of the next token given the token list prefix.
    Returns (generated tokens without bos, including eos if produced; their total log-probability).
    """
    seq, score = [bos], 1.0
    while len(seq) - 1 < max_len:
        logp = next_logprobs(seq)
        token = int(np.argmax(logp))  # ties: the lowest token id
        seq.append(token)
        score *= float(np.exp(logp[token]))
        if token == eos:
            break
    with np.errstate(divide='ignore'):
        return seq[1:], float(np.log(score))
