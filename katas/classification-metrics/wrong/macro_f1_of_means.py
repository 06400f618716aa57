"""Computes macro F1 as the F1 of macro precision and macro recall.
把宏平均 F1 算成了宏平均精确率与宏平均召回率的 F1。
"""
import numpy as np


def confusion_matrix(y_true, y_pred, n_classes):
    """(n_classes, n_classes) int64 counts: rows are true classes, columns predicted classes."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    flat = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


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
        p, r = float(precision.mean()), float(recall.mean())
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)
    if average == "micro":
        return float(precision), float(recall), float(f1)
    raise ValueError(f"unknown average {average!r}")
