"""At max_len returns the best finished hypothesis and ignores the live ones (they count only if none finished).
到达 max_len 时只在已完成的假设中挑最佳，忽略了仍活跃的假设（只有一个都没完成时才算它们）。
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
        candidates.sort(key=lambda c: (-c[1], c[0]))
        live = []
        for tokens, score in candidates[:beam_size]:
            (finished if tokens[-1] == eos else live).append((tokens, score))
        if not live:
            break
    best = min(finished or live, key=lambda c: (-c[1], c[0]))
    return best[0], best[1]
