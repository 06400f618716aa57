"""Sizes the matrix from the largest label seen (bincount without minlength), not from n_classes.
矩阵大小按出现过的最大标签定（bincount 没有传 minlength），而不是按 n_classes。
"""
import numpy as np


def confusion_matrix(y_true, y_pred, n_classes):
    """(n_classes, n_classes) int64 counts: rows are true classes, columns predicted classes."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    k = int(max(y_true.max(), y_pred.max())) + 1
    flat = np.bincount(y_true * k + y_pred, minlength=k * k)
    return flat.reshape(k, k)


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
