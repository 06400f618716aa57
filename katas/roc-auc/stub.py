import numpy as np


def roc_auc(y_true, scores):
    """Area under the ROC curve, tied scores counted as 1/2 (the Mann-Whitney statistic).

    y_true: (N,) int array of 0/1 (1 = positive); scores: (N,) float array, higher = more likely positive.
    Returns a float: the fraction of (positive, negative) pairs whose positive has the higher score, a tie
    counting 1/2. If y_true holds only one class, return float("nan").
    """
    raise NotImplementedError("write roc_auc")
