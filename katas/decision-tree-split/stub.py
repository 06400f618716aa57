import numpy as np


def best_split(X, y, criterion="gini"):
    """Best single split of one decision-tree node.

    X: (N, D) float64 features; y: (N,) int labels (non-negative); criterion: "gini" or "entropy" (bits).
    Candidate thresholds are the midpoints between consecutive distinct values of each feature; rows with
    x[:, feature] <= threshold go left. Returns (feature, threshold, gain) as (int, float, float), where
    gain = impurity(parent) - size-weighted impurity of the two children. Ties: lowest feature, then
    lowest threshold. No valid split: (-1, 0.0, 0.0).
    """
    raise NotImplementedError("write best_split")
