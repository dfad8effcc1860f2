"""Classification metrics from integer labels (chapter 9): the confusion matrix and what it shows.

    cm = confusion_matrix(y_test, net.predict(X_test))   # (10, 10), rows = true class
    per_class_accuracy(cm)                                # (10,) recall of each class
    top_confusions(cm, k=3)                               # [(4, 9, 31), ...] true, predicted, count
"""
import numpy as np


def _labels(y, name):
    """y as a 1-D int64 vector of non-negative whole numbers."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be a vector of integer labels (N,), got shape {y.shape}")
    if y.dtype.kind == "f" and (not np.isfinite(y).all() or np.any(y != np.round(y))):
        raise ValueError(f"{name} must hold whole-number class labels")
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(f"{name} labels must be >= 0, got {int(y.min())}")
    return y


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Counts (n, n) int64: entry [i, j] = examples of true class i predicted as j.

    y_true, y_pred: integer labels (N,). n_classes defaults to 1 + the largest label seen.
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {y_true.shape[0]} "
                         f"and {y_pred.shape[0]}")
    seen = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    n = seen if n_classes is None else int(n_classes)
    if seen > n:
        raise ValueError(f"labels go up to {seen - 1} but n_classes is {n}")
    cm = np.zeros((n, n), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def per_class_accuracy(cm):
    """Fraction (n,) of each true class predicted correctly: diagonal / row sums (NaN if empty)."""
    cm = np.asarray(cm)
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(cm) / np.maximum(totals, 1), np.nan)


def top_confusions(cm, k=5):
    """The k largest off-diagonal entries as a list of (true, predicted, count), largest first."""
    cm = np.asarray(cm)
    off = cm.astype(np.int64).copy()
    np.fill_diagonal(off, 0)
    flat = np.argsort(-off, axis=None, kind="stable")[:k]
    pairs = [np.unravel_index(i, off.shape) for i in flat]
    return [(int(i), int(j), int(off[i, j])) for i, j in pairs if off[i, j] > 0]
