"""Passes only the generated tokens as the prefix once there are some: bos is missing from every prefix after the first.
一旦生成了词元，就只把已生成的词元作为前缀传入：第一步之后的每个前缀都缺了 bos。
"""
import numpy as np


def greedy_decode(next_logprobs, bos, eos, max_len):
    tokens, score = [], 0.0
    while len(tokens) < max_len:
        logp = next_logprobs(tokens if tokens else [bos])
        token = int(np.argmax(logp))
        tokens.append(token)
        score += float(logp[token])
        if token == eos:
            break
    return tokens, score
