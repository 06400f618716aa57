import numpy as np


def roc_auc(y_true, scores):
    """Area under the ROC curve, tied scores counted as 1/2 (the Mann-Whitney statistic).

    y_true: (N,) int array of 0/1; scores: (N,) float array (higher = more likely positive).
    Returns a float: the fraction of (positive, negative) pairs with the positive scored higher, a tie
    counting 1/2; nan when y_true holds only one class.
    """
    pos = y_true == 1
    n_pos = int(pos.sum())
    n_neg = y_true.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    # group equal scores: per distinct value (ascending), how many positives and negatives have it
    _, group = np.unique(scores, return_inverse=True)
    group = group.ravel()
    pos_per = np.bincount(group[pos], minlength=group.max() + 1)
    neg_per = np.bincount(group[~pos], minlength=group.max() + 1)
    neg_below = np.cumsum(neg_per) - neg_per  # negatives with a strictly lower score
    wins = (pos_per * (2 * neg_below + neg_per)).sum()  # twice (wins + ties / 2): exact integers
    return float(wins / (2 * n_pos * n_neg))
