"""Stops before appending eos, so eos and its log-probability are missing.
在追加 eos 之前就停止了，所以输出里缺少 eos 和它的对数概率。
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
        if token == eos:
            break
        seq.append(token)
        score += float(logp[token])
        if token == eos:
            break
    return seq[1:], score
