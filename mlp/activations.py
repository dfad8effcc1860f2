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


def _sigmoid(z):
    """sigma(z) of a float array, accurate in both tails and never overflowing (issue 13).

    1 / (1 + e^-z) overflows e^-z for z < -88 in float32, and (1 + tanh(z/2)) / 2 loses the
    lower tail to rounding (float32: sigma(-17) came out 5.96e-8 instead of 4.14e-8, and
    sigma(-20) as 0). So compute e = e^-|z|, which lies in (0, 1], and take the form that never
    subtracts: 1 / (1 + e) for z >= 0 and e / (1 + e) = e^z / (1 + e^z) for z < 0.
    """
    e = np.exp(-np.abs(z))
    a = np.where(z < 0, e, 1).astype(z.dtype, copy=False)
    e += 1
    a /= e
    return a


class Sigmoid(Activation):
    """Logistic sigmoid 1 / (1 + e^-z), computed piecewise (``_sigmoid``) so it never overflows
    and keeps its relative accuracy far into the lower tail.

    Derivative: sigma'(z) = sigma(z) (1 - sigma(z)) = a (1 - a).
    """

    name = "sigmoid"

    def forward(self, z):
        return _sigmoid(z)

    def derivative(self, z, a):
        return a * (1 - a)


class Tanh(Activation):
    """Hyperbolic tangent, tanh(z) = 2 sigma(2z) - 1; derivative 1 - a^2."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z, a):
        return 1 - a * a


def relu_side(z):
    """True where a ReLU-like unit is on its linear side: z > 0, so False at the kink z = 0.

    max(0, z) has no derivative at z = 0. This book, like PyTorch and TensorFlow, uses the
    slope 0 there. ReLU, leaky ReLU, PReLU and the max gate of ``mlp.autodiff`` all ask this one
    function which side z is on, so the convention is written down exactly once.
    """
    return z > 0


class ReLU(Activation):
    """Rectified linear unit max(0, z); derivative 1 for z > 0 and 0 otherwise (0 at z = 0,
    the convention of ``relu_side``)."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0)

    def derivative(self, z, a):
        return relu_side(z).astype(z.dtype)

    def backward(self, z, a, da):
        return da * relu_side(z)  # a boolean mask multiplies ~8x faster than np.where


class LeakyReLU(Activation):
    """max(alpha z, z) for a fixed small slope alpha (default 0.01): negative inputs still learn."""

    name = "leaky_relu"

    def __init__(self, alpha=0.01):
        self.alpha = float(alpha)

    def forward(self, z):
        return np.where(relu_side(z), z, z * z.dtype.type(self.alpha))

    def derivative(self, z, a):
        return np.where(relu_side(z), 1, self.alpha).astype(z.dtype)

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
        return np.where(relu_side(z), z, z * self.alpha)

    def derivative(self, z, a):
        return np.where(relu_side(z), 1, self.alpha).astype(z.dtype)

    def param_gradients(self, z, da):
        """Gradient of the loss with respect to alpha, shape (n,)."""
        return (da * np.minimum(z, 0)).sum(axis=0)

    def config(self):
        return {"name": self.name, "alpha": self.alpha_init}

    def __repr__(self):
        return f"PReLU(alpha={self.alpha_init})"


class GELU(Activation):
    """Gaussian error linear unit (Hendrycks & Gimpel 2016), in its tanh form.

    The exact GELU is z Phi(z), Phi the standard normal CDF, which needs erf: numpy has none,
    and the package's core is numpy only. Hendrycks & Gimpel give the approximation
    0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))), used by GPT-2 and BERT and by PyTorch's
    ``gelu(approximate="tanh")``; it stays within 5e-4 of z Phi(z) (tests/test_activations_losses
    measures it against math.erf). Since (1 + tanh(x)) / 2 = sigma(2x), it is
        a = z sigma(u),   u = 2 sqrt(2/pi) (z + 0.044715 z^3),
    computed with the stable sigmoid so the negative tail keeps its digits in float32, and
        f'(z) = sigma(u) + z sigma(u) (1 - sigma(u)) du/dz,
        du/dz = 2 sqrt(2/pi) (1 + 0.134145 z^2).
    The cubic is evaluated at z clipped to +-1e12, where sigma(u) is long 0 or 1, so it cannot
    overflow even in float32 and clipping changes no value. Smooth everywhere, a little negative
    for z < 0, like ReLU for large |z|.
    """

    name = "gelu"
    K = float(2 * np.sqrt(2 / np.pi))  # u = K (z + C z^3); Python floats keep float32 float32
    C = 0.044715
    CLIP = 1e12

    def _u(self, z):
        zc = np.clip(z, -self.CLIP, self.CLIP)
        return zc, (zc * zc * self.C + 1) * zc * self.K

    def forward(self, z):
        return z * _sigmoid(self._u(z)[1])

    def derivative(self, z, a):
        zc, u = self._u(z)
        s = _sigmoid(u)
        du = (zc * zc * (3 * self.C) + 1) * self.K
        return s + z * s * (1 - s) * du


class SiLU(Activation):
    """Sigmoid linear unit a = z sigma(z) (Elfwing et al. 2018; "swish" in Ramachandran et al.
    2017): the input weighted by its own sigmoid. The GELU's shape, with u = z.

    f'(z) = sigma(z) + z sigma(z) (1 - sigma(z)) = sigma(z) + a (1 - sigma(z)).
    """

    name = "silu"

    def forward(self, z):
        return z * _sigmoid(z)

    def derivative(self, z, a):
        s = _sigmoid(z)
        return s + a * (1 - s)


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
    "relu": ReLU, "leaky_relu": LeakyReLU, "prelu": PReLU, "gelu": GELU, "silu": SiLU,
    "swish": SiLU, "softmax": Softmax,
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
