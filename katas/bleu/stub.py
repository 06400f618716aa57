def sentence_bleu(candidate, references, max_n=4):
    """BLEU of one candidate (token list) against references (list of token lists); returns a float."""
    raise NotImplementedError("write sentence_bleu")
