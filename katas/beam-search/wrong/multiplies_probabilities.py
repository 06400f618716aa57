"""Multiplies probabilities instead of adding log-probabilities: long hypotheses underflow to 0 and tie.
把概率相乘而不是把对数概率相加：长假设下溢为 0 并且全部并列。
"""
import math

import numpy as np


def beam_search(next_logprobs, bos, eos, beam_size, max_len):
    live = [([], 1.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for tokens, prob in live:
            p = np.exp(np.asarray(next_logprobs([bos, *tokens]), dtype=np.float64))
            candidates += [([*tokens, t], prob * float(p[t])) for t in range(len(p))]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        live = []
        for tokens, prob in candidates[:beam_size]:
            (finished if tokens[-1] == eos else live).append((tokens, prob))
        if not live:
            break
    best = min(finished + live, key=lambda c: (-c[1], c[0]))
    return best[0], (math.log(best[1]) if best[1] > 0 else float("-inf"))
