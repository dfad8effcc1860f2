"""Activation functions a = f(z) and their derivatives (chapter 2, chapters/02_activations.ipynb).

Each activation is a small object with
- ``forward(z) -> a``, elementwise except softmax, shape ``(N, n)`` in and out;
- ``derivative(z, a) -> f'(z)`` elementwise (given ``a`` too, so sigmoid and tanh reuse it);
- ``backward(z, a, da) -> delta = dL/dz`` for an upstream gradient ``da = dL/da``.
Forward and backward sit side by side so the pair can be read (and checked) together.
"""
import copy

import numpy as np


class Activation:
    """Base class: an elementwise activation. Subclasses define forward and derivative."""

    name = "activation"
    params = ()  # names of learned parameters (only PReLU has one)

    def __call__(self, z):
        return self.forward(z)

    def forward(self, z):
        raise NotImplementedError

    def derivative(self, z, a):
        raise NotImplementedError

    def backward(self, z, a, da):
        """Chain rule through an elementwise f: delta = da * f'(z)."""
        return da * self.derivative(z, a)

    def config(self):
        """A JSON-able description, e.g. {"name": "leaky_relu", "alpha": 0.01} (used by mlp.io)."""
        return {"name": self.name}

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    """a = z. Used for regression outputs and in the 'linear network' thought experiments."""

    name = "identity"

    def forward(self, z):
        return z

    def derivative(self, z, a):
        return np.ones_like(z)

    def backward(self, z, a, da):
        return da


class Step(Activation):
    """Heaviside step, a = 1 if z > 0 else 0: the perceptron's activation (chapter 1).

    Its derivative is 0 everywhere it exists, which is exactly why gradient descent cannot train
    a network of step units (chapter 2).
    """

    name = "step"

    def forward(self, z):
        return (z > 0).astype(z.dtype)

    def derivative(self, z, a):
        return np.zeros_like(z)


class Sigmoid(Activation):
    """Logistic sigmoid 1 / (1 + e^-z), computed as (1 + tanh(z/2)) / 2 so it never overflows.

    Derivative: sigma'(z) = sigma(z) (1 - sigma(z)) = a (1 - a).
    """

    name = "sigmoid"

    def forward(self, z):
        a = np.tanh(z * z.dtype.type(0.5))
        a += 1
        a *= z.dtype.type(0.5)
        return a

    def derivative(self, z, a):
        return a * (1 - a)


class Tanh(Activation):
    """Hyperbolic tangent, tanh(z) = 2 sigma(2z) - 1; derivative 1 - a^2."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z, a):
        return 1 - a * a


class ReLU(Activation):
    """Rectified linear unit max(0, z); derivative 1 for z > 0 and 0 otherwise (0 at z = 0)."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0)

    def derivative(self, z, a):
        return (z > 0).astype(z.dtype)

    def backward(self, z, a, da):
        return da * (z > 0)  # a boolean mask multiplies ~8x faster than np.where


class LeakyReLU(Activation):
    """max(alpha z, z) for a fixed small slope alpha (default 0.01): negative inputs still learn."""

    name = "leaky_relu"

    def __init__(self, alpha=0.01):
        self.alpha = float(alpha)

    def forward(self, z):
        return np.where(z > 0, z, z * z.dtype.type(self.alpha))

    def derivative(self, z, a):
        return np.where(z > 0, 1, self.alpha).astype(z.dtype)

    def config(self):
        return {"name": self.name, "alpha": self.alpha}

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class PReLU(Activation):
    """Parametric ReLU (He et al. 2015): like leaky ReLU, but the slope ``alpha`` is learned,
    one per neuron, by backpropagation. ``alpha`` has shape ``(n,)``; the layer that owns this
    activation creates it (``init_params``) and the optimizer updates it like W and b.

    dL/dalpha_j = sum over the batch of da_j * min(z_j, 0).
    """

    name = "prelu"
    params = ("alpha",)

    def __init__(self, alpha=0.25):
        self.alpha_init = float(alpha)
        self.alpha = None

    def init_params(self, n, dtype):
        self.alpha = np.full(n, self.alpha_init, dtype=dtype)

    def forward(self, z):
        return np.where(z > 0, z, z * self.alpha)

    def derivative(self, z, a):
        return np.where(z > 0, 1, self.alpha).astype(z.dtype)

    def param_gradients(self, z, da):
        """Gradient of the loss with respect to alpha, shape (n,)."""
        return (da * np.minimum(z, 0)).sum(axis=0)

    def config(self):
        return {"name": self.name, "alpha": self.alpha_init}

    def __repr__(self):
        return f"PReLU(alpha={self.alpha_init})"


class Softmax(Activation):
    """Softmax over each row: a_k = e^{z_k} / sum_j e^{z_j}, computed after subtracting the row
    maximum (same result, no overflow). Not elementwise: its Jacobian is diag(a) - a a^T, so
    backward is the Jacobian-vector product delta = a * (da - sum_k da_k a_k).
    """

    name = "softmax"

    def forward(self, z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        e /= e.sum(axis=1, keepdims=True)
        return e

    def derivative(self, z, a):
        raise TypeError("softmax has a Jacobian, not an elementwise derivative; use backward()")

    def backward(self, z, a, da):
        return a * (da - (da * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {
    "identity": Identity, "linear": Identity, "step": Step, "sigmoid": Sigmoid, "tanh": Tanh,
    "relu": ReLU, "leaky_relu": LeakyReLU, "prelu": PReLU, "softmax": Softmax,
}


def get_activation(spec):
    """A new Activation from a name ("relu"), a config dict ({"name": "leaky_relu", "alpha": 0.1})
    or an Activation instance (copied, so layers never share PReLU parameters)."""
    if isinstance(spec, Activation):
        return copy.deepcopy(spec)
    if isinstance(spec, dict) and spec.get("name", "").lower() in ACTIVATIONS:
        kwargs = {k: v for k, v in spec.items() if k != "name"}
        return ACTIVATIONS[spec["name"].lower()](**kwargs)
    if isinstance(spec, str) and spec.lower() in ACTIVATIONS:
        return ACTIVATIONS[spec.lower()]()
    raise ValueError(f"unknown activation {spec!r}; expected one of {sorted(ACTIVATIONS)} "
                     "or an mlp.activations.Activation instance")


# Plain functions for the chapters that plot or compute by hand.
def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z) for any array-like z."""
    z = np.asarray(z)
    return Sigmoid().forward(z.astype(np.result_type(z.dtype, np.float32)))


def softmax(z):
    """Row-wise softmax of a (N, n) array (or a single vector)."""
    z = np.asarray(z)
    z = z.astype(np.result_type(z.dtype, np.float32))
    return Softmax().forward(z[None] if z.ndim == 1 else z).reshape(z.shape)
