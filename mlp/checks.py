"""Input validation with messages that say what was expected and what came.

Users pass lists, uint8 images, 1-D label vectors and the wrong number of columns; every public
entry point of the package funnels its arrays through here.
"""
import numpy as np

from .losses import one_hot


def as_inputs(X, n_in, dtype, name="X"):
    """X as a C-contiguous (N, n_in) array of ``dtype``; a single example (n_in,) becomes (1, n_in)."""
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {X.dtype}")
    if X.ndim == 1 and X.shape[0] == n_in:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"{name} must have shape (N, {n_in}) — one row per example, {n_in} "
                         f"features — but got shape {X.shape}")
    X = np.ascontiguousarray(X, dtype=dtype)
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinite values "
                         f"({int((~np.isfinite(X)).sum())} of {X.size} entries)")
    return X


def as_targets(Y, n_out, n_rows, dtype, name="Y"):
    """Targets as an (N, n_out) array of ``dtype``.

    Accepts one-hot / real-valued targets (N, n_out); for n_out > 1, integer class labels (N,)
    which are one-hot encoded; for n_out == 1, a vector (N,) of targets.
    """
    Y = np.asarray(Y)
    if Y.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {Y.dtype}")
    if Y.ndim == 1 and n_out > 1:
        Y = labels_to_one_hot(Y, n_out, dtype, name)
    elif Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[1] != n_out:
        raise ValueError(f"{name} must have shape (N, {n_out}) (targets) or (N,) (integer labels), "
                         f"got shape {Y.shape}")
    if Y.shape[0] != n_rows:
        raise ValueError(f"{name} has {Y.shape[0]} rows but X has {n_rows}: one target per example")
    Y = np.ascontiguousarray(Y, dtype=dtype)
    if not np.isfinite(Y).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return Y


def labels_to_one_hot(y, n_classes, dtype=np.float32, name="y"):
    """Integer labels (N,) in [0, n_classes) to a one-hot matrix (N, n_classes)."""
    return one_hot(as_labels(y, n_classes, name), n_classes, dtype)


def as_labels(y, n_classes, name="y"):
    """Validate integer class labels: a 1-D array of integers in [0, n_classes)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == n_classes and n_classes > 1:
        return y.argmax(axis=1)  # one-hot given where labels were expected
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be a vector of integer labels (N,), got shape {y.shape}")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError(f"{name} must hold whole-number class labels, got non-integer values")
        y = y.astype(np.int64)
    elif y.dtype.kind not in "biu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    limit = max(n_classes, 2)
    if y.size and (y.min() < 0 or y.max() >= limit):
        raise ValueError(f"{name} labels must lie in [0, {limit - 1}], got values from "
                         f"{int(y.min())} to {int(y.max())}")
    return y.astype(np.int64, copy=False)
