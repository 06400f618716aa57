"""Sorts by score alone, so exact ties keep the order the extensions were generated in, not the smaller token list.
只按分数排序，分数完全相同时保留了扩展生成的先后顺序，而不是取字典序较小的词元列表。
"""
import numpy as np


def beam_search(next_logprobs, bos, eos, beam_size, max_len):
    live = [([], 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for tokens, score in live:
            logp = np.asarray(next_logprobs([bos, *tokens]), dtype=np.float64)
            candidates += [([*tokens, t], score + float(logp[t])) for t in range(len(logp))]
        candidates.sort(key=lambda c: -c[1])
        live = []
        for tokens, score in candidates[:beam_size]:
            (finished if tokens[-1] == eos else live).append((tokens, score))
        if not live:
            break
    best = max(finished + live, key=lambda c: c[1])
    return best[0], best[1]
