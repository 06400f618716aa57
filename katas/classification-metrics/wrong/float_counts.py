"""Counts into np.zeros((n, n)), a float64 matrix, while the statement asks for int64 counts.
用 np.zeros((n, n)) 计数，得到 float64 矩阵，而题目要求 int64 计数。
"""
import numpy as np


def confusion_matrix(y_true, y_pred, n_classes):
    """(n_classes, n_classes) int64 counts: rows are true classes, columns predicted classes."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    counts = np.zeros((n_classes, n_classes))
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _safe_div(num, den):
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def prf(y_true, y_pred, n_classes, average):
    """(precision, recall, f1) as floats; average is "binary" (class 1 positive), "macro" or "micro"."""
    cm = confusion_matrix(y_true, y_pred, n_classes)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    if average == "micro":
        tp, fp, fn = tp.sum(), fp.sum(), fn.sum()
    precision = _safe_div(tp, tp + fp)
    recall = _safe_div(tp, tp + fn)
    f1 = _safe_div(2 * precision * recall, precision + recall)
    if average == "binary":
        return float(precision[1]), float(recall[1]), float(f1[1])
    if average == "macro":
        return float(precision.mean()), float(recall.mean()), float(f1.mean())
    if average == "micro":
        return float(precision), float(recall), float(f1)
    raise ValueError(f"unknown average {average!r}")
