"""Numerical gradient checking: the proof that backpropagation is right (chapter 6).

For each parameter theta_i, the central difference
    (L(theta_i + eps) - L(theta_i - eps)) / (2 eps)
approximates dL/dtheta_i with error O(eps^2). Comparing it with the analytic gradient catches
every mistake in a backward pass — including the goml post's hidden-layer rule that drops an
activation derivative, which still "learns" and passes outcome-only tests.
"""
import numpy as np


def numerical_gradient(f, theta, eps=1e-6):
    """Central-difference gradient of the scalar function ``f()`` with respect to the array
    ``theta``, which ``f`` reads and which is perturbed in place (and restored)."""
    grad = np.zeros(theta.shape, dtype=np.float64)
    for i in np.ndindex(theta.shape):
        old = theta[i]
        theta[i] = old + eps
        up = f()
        theta[i] = old - eps
        down = f()
        theta[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_error(analytic, numeric):
    """||g_a - g_n|| / (||g_a|| + ||g_n||) for two gradient arrays: the norm measure.

    Around 1e-8 or below: they agree (float64 with eps = 1e-6). A wrong backward pass gives
    1e-2 to 1. (Both zero counts as agreement.) Norms sum over all entries, so one wrong entry
    among many right ones, or one much smaller than the largest, is diluted:
    ``elementwise_relative_error`` judges each entry by its own size.
    """
    analytic, numeric = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0


def elementwise_errors(analytic, numeric, floor=1e-5):
    """Each entry's relative error |g_a - g_n| / max(|g_a| + |g_n|, floor), same shape.

    Entries smaller than ``floor`` are measured against ``floor`` instead of their own size: a
    float64 central difference is only good to about 1e-10 in absolute terms, so the relative
    error of a 1e-9 entry would be noise.
    """
    analytic, numeric = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)


def elementwise_relative_error(analytic, numeric, floor=1e-5):
    """The worst entry's relative error (``elementwise_errors``): the elementwise measure.

    Below about 1e-4 the arrays agree (float64, eps = 1e-6: a central difference's ~1e-10 of
    noise over the floor 1e-5 gives up to ~1e-5); a single wrong entry shows up as 1e-2 to 1,
    however small it is next to the others.
    """
    errors = elementwise_errors(analytic, numeric, floor)
    return float(errors.max()) if errors.size else 0.0


MEASURES = {"norm": relative_error, "elementwise": elementwise_relative_error}


def gradcheck_report(net, X, Y, eps=1e-6, l2=0.0, gradients=None):
    """Both measures for every parameter array: a list of dicts with ``layer`` (0-based),
    ``param`` ("W", "b", "alpha"), ``norm`` and ``elementwise`` errors, and ``worst_index``
    (where the worst entry is). A chapter prints it as a table; ``gradcheck`` takes the maximum.

    Works on a float64 copy of ``net`` (float32 rounding would swamp the check). Pass
    ``gradients=fn(net, X, Y) -> [(dW, db), ...]`` to check another backward pass instead.
    Keep X small: every parameter costs two forward passes.
    """
    net64 = net.copy(dtype=np.float64)
    X, Y = net64._prepare(X, Y)
    analytic = gradients(net64, X, Y) if gradients else net64.gradients(X, Y, l2=l2)
    rows = []
    for i, (layer, grads) in enumerate(zip(net64.layers, analytic)):
        names = ["W", "b"] + list(layer.activation.params)
        for name, theta, g in zip(names, layer.params(), grads):
            numeric = numerical_gradient(lambda: net64.loss(X, Y, l2=l2), theta, eps)
            errors = elementwise_errors(g, numeric)
            rows.append(dict(layer=i, param=name, norm=relative_error(g, numeric),
                             elementwise=float(errors.max()),
                             worst_index=tuple(int(k) for k in np.unravel_index(
                                 int(errors.argmax()), errors.shape))))
    return rows


def gradcheck(net, X, Y, eps=1e-6, l2=0.0, gradients=None, measure="norm"):
    """Max relative error between ``net``'s analytic gradients and central differences, over
    every parameter array: ``measure="norm"`` (default; agreement below ~1e-6) or
    ``"elementwise"`` (the worst single entry; agreement below ~1e-4). See gradcheck_report.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {sorted(MEASURES)}, got {measure!r}")
    rows = gradcheck_report(net, X, Y, eps, l2, gradients)
    return max((row[measure] for row in rows), default=0.0)
