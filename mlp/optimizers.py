"""Optimizers: turn gradients into parameter updates (chapters 5 and 10).

An optimizer's ``step(params, grads)`` updates each array of ``params`` in place from the
matching gradient. Gradients are computed elsewhere (``MLP.gradients``), so the same gradient can
be inspected, checked or fed to any rule below.
"""
import numpy as np


class SGD:
    """Plain gradient descent: theta <- theta - eta * grad.

    With ``momentum`` beta > 0 (classical momentum): v <- beta v - eta grad; theta <- theta + v.
    The velocity remembers past gradients, so steps grow along consistent directions and
    oscillations across a narrow valley cancel.
    """

    def __init__(self, learning_rate=0.1, momentum=0.0):
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self.velocity = None

    def step(self, params, grads):
        eta = self.learning_rate
        if not self.momentum:
            for theta, g in zip(params, grads):
                theta -= theta.dtype.type(eta) * g
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(theta) for theta in params]
        beta = self.momentum
        for theta, g, v in zip(params, grads, self.velocity):
            v *= v.dtype.type(beta)
            v -= v.dtype.type(eta) * g
            theta += v

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum})"


def Momentum(learning_rate=0.1, momentum=0.9):
    """SGD with classical momentum (beta = 0.9 by default)."""
    return SGD(learning_rate, momentum)


class Adam:
    """Adam (Kingma & Ba 2015): per-parameter step sizes from running moments of the gradient.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    theta <- theta - eta * m_hat / (sqrt(v_hat) + eps), with the bias corrections
    m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).
    """

    def __init__(self, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.learning_rate = float(learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.m = self.v = None
        self.t = 0

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(theta) for theta in params]
            self.v = [np.zeros_like(theta) for theta in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        eta_t = self.learning_rate * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for theta, g, m, v in zip(params, grads, self.m, self.v):
            f = theta.dtype.type
            m *= f(b1)
            m += f(1 - b1) * g
            v *= f(b2)
            v += f(1 - b2) * (g * g)
            theta -= f(eta_t) * m / (np.sqrt(v) + f(self.eps))

    def __repr__(self):
        return f"Adam(learning_rate={self.learning_rate}, beta1={self.beta1}, beta2={self.beta2})"


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def get_optimizer(spec, learning_rate=None):
    """An optimizer from a name ("sgd", "momentum", "adam") or an instance."""
    if hasattr(spec, "step"):
        return spec
    if isinstance(spec, str) and spec.lower() in OPTIMIZERS:
        cls = OPTIMIZERS[spec.lower()]
        return cls() if learning_rate is None else cls(learning_rate=learning_rate)
    raise ValueError(f"unknown optimizer {spec!r}; expected one of {sorted(OPTIMIZERS)} "
                     "or an object with a step(params, grads) method")
