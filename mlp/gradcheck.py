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
    """||g_a - g_n|| / (||g_a|| + ||g_n||) for two gradient arrays.

    Around 1e-8 or below: they agree (float64 with eps = 1e-6). A wrong backward pass gives
    1e-2 to 1. (Both zero counts as agreement.)
    """
    analytic, numeric = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0


def gradcheck(net, X, Y, eps=1e-6, l2=0.0, gradients=None):
    """Max relative error between ``net``'s analytic gradients and central differences.

    Works on a float64 copy of ``net`` (float32 rounding would swamp the check). Pass
    ``gradients=fn(net, X, Y) -> [(dW, db), ...]`` to check another backward pass instead.
    Keep X small: every parameter costs two forward passes.
    """
    net64 = net.copy(dtype=np.float64)
    X, Y = net64._prepare(X, Y)
    analytic = gradients(net64, X, Y) if gradients else net64.gradients(X, Y, l2=l2)
    worst = 0.0
    for layer, grads in zip(net64.layers, analytic):
        for theta, g in zip(layer.params(), grads):
            numeric = numerical_gradient(lambda: net64.loss(X, Y, l2=l2), theta, eps)
            worst = max(worst, relative_error(g, numeric))
    return worst
