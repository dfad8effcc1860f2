"""Loss functions L = mean over the batch of a per-example cost C (chapter 4, 04_losses.ipynb).

A loss knows its value and the delta it sends back into the output layer:
- ``value(z, a, Y, activation) -> float``: the mean cost over the N rows;
- ``delta(z, a, Y, activation) -> dL/dz`` of shape ``(N, n_out)``.
Both receive the output layer's ``z`` and ``a`` so the classic pairs can be fused: sigmoid with
binary cross-entropy and softmax with log-likelihood both give ``delta = (a - Y) / N``
(chapter 6), and their values are computed from ``z`` with log-sum-exp so they never take log 0.
"""
import numpy as np

from .activations import Sigmoid, Softmax


def one_hot(y, n_classes=None, dtype=np.float32):
    """Integer labels (N,) -> one-hot matrix Y (N, n_classes): Y[i, y[i]] = 1 (chapters 4 and 8).

    `n_classes` defaults to max(y) + 1. Labels must be integers in 0..n_classes-1.
    """
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be a vector (N,) of integers, got {y.dtype} {y.shape}"
                         f" (convert with y.astype(int) if they are whole numbers)")
    if n_classes is None:
        n_classes = int(y.max()) + 1 if y.size else 0
    bad = (y < 0) | (y >= n_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"labels must be in 0..{n_classes - 1}, got {y[i]} at index {i}")
    Y = np.zeros((len(y), n_classes), dtype)
    Y[np.arange(len(y)), y] = 1
    return Y


def _softplus(z):
    """log(1 + e^z) without overflow."""
    return np.logaddexp(0, z)


class Loss:
    """Base class. Subclasses give ``cost`` (per example) and ``grad`` (dL/da of the mean)."""

    name = "loss"

    def value(self, z, a, Y, activation):
        return float(self.cost(z, a, Y, activation).mean())

    def delta(self, z, a, Y, activation):
        """delta = dL/dz: the chain rule through the output activation, unless fused."""
        return activation.backward(z, a, self.grad(a, Y))

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """C = 1/2 sum_k (a_k - y_k)^2, so dL/da = (a - Y) / N.

    The 1/2 cancels the 2 of the derivative. The goml post reports the mean of (y - a)^2 over the
    outputs (our loss is n_out / 2 times its figure) but steps along the derivative of the
    plain sum, 2 * error: twice our gradient, so its learning rate 0.1 is our 0.2 (chapter 9).
    """

    name = "mse"

    def cost(self, z, a, Y, activation):
        return 0.5 * np.square(a - Y, dtype=np.float64).sum(axis=1)

    def grad(self, a, Y):
        return (a - Y) / a.shape[0]


class BinaryCrossEntropy(Loss):
    """C = -sum_k [y_k log a_k + (1 - y_k) log(1 - a_k)], for sigmoid outputs in (0, 1).

    With a sigmoid output, log a = -softplus(-z) and log(1 - a) = -softplus(z), and the
    sigma'(z) factor cancels: delta = (a - Y) / N. That cancellation is why cross-entropy does
    not suffer the learning slowdown of MSE on saturated sigmoids (chapter 4).
    """

    name = "binary_cross_entropy"
    eps = 1e-12

    def cost(self, z, a, Y, activation):
        if isinstance(activation, Sigmoid):
            z = z.astype(np.float64)
            return (Y * _softplus(-z) + (1 - Y) * _softplus(z)).sum(axis=1)
        a = np.clip(a.astype(np.float64), self.eps, 1 - self.eps)
        return -(Y * np.log(a) + (1 - Y) * np.log(1 - a)).sum(axis=1)

    def grad(self, a, Y):
        a = np.clip(a, self.eps, 1 - self.eps)
        return (a - Y) / (a * (1 - a)) / a.shape[0]

    def delta(self, z, a, Y, activation):
        if isinstance(activation, Sigmoid):
            return (a - Y) / a.shape[0]
        return super().delta(z, a, Y, activation)


class CategoricalCrossEntropy(Loss):
    """Log-likelihood C = -log a_y = -sum_k y_k log a_k, for softmax outputs.

    With softmax, -log a_y = logsumexp(z) - z_y (stable), and delta = (a - Y) / N.
    """

    name = "categorical_cross_entropy"
    eps = 1e-12

    def cost(self, z, a, Y, activation):
        if isinstance(activation, Softmax):
            z = z.astype(np.float64)
            m = z.max(axis=1, keepdims=True)
            logsumexp = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
            return logsumexp * Y.sum(axis=1) - (Y * z).sum(axis=1)
        return -(Y * np.log(np.clip(a.astype(np.float64), self.eps, None))).sum(axis=1)

    def grad(self, a, Y):
        return -Y / np.clip(a, self.eps, None) / a.shape[0]

    def delta(self, z, a, Y, activation):
        if isinstance(activation, Softmax):
            return (a - Y) / a.shape[0]
        return super().delta(z, a, Y, activation)


LOSSES = {
    "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
    "binary_cross_entropy": BinaryCrossEntropy, "bce": BinaryCrossEntropy,
    "cross_entropy": CategoricalCrossEntropy,
    "categorical_cross_entropy": CategoricalCrossEntropy, "log_likelihood": CategoricalCrossEntropy,
}


def get_loss(spec):
    """A Loss from a name ("mse", "binary_cross_entropy", "cross_entropy", ...) or an instance."""
    if isinstance(spec, Loss):
        return spec
    if isinstance(spec, str) and spec.lower() in LOSSES:
        return LOSSES[spec.lower()]()
    raise ValueError(f"unknown loss {spec!r}; expected one of {sorted(LOSSES)} or a Loss instance")
