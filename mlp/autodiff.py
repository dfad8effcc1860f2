"""Scalar reverse-mode automatic differentiation: backpropagation one number at a time
(chapter 6, section "Backpropagation as automatic differentiation"; in the spirit of
Karpathy's micrograd).

Every arithmetic operation on a ``Value`` records a node in a graph: its result, its inputs,
and its *local gradients*, the derivative of the result with respect to each input, which
depend on that one operation alone. ``L.backward()`` then visits the nodes from L back to the
inputs and applies the chain rule at each one:

    input.grad += (local gradient d out / d input) * out.grad      (out.grad = dL/d out)

which is backpropagation, with nothing known about layers. Three patterns do most of the work:
- an **add** gate distributes: both inputs receive out.grad unchanged (local gradient 1);
- a **multiply** gate swaps: each input receives the *other* input times out.grad;
- a **max** gate routes: the whole of out.grad goes to the input that won (ReLU = max(z, 0)).

    w, x = Value(2.0), Value(-3.0)
    L = (w * x + 1).tanh()
    L.backward()          # w.grad = x * (1 - L^2), x.grad = w * (1 - L^2)

``mlp_loss(net, X, Y)`` builds an ``mlp.MLP``'s loss from Values holding the net's own weights;
``gradients`` turns its graph into the ``[(dW, db), ...]`` of ``MLP.gradients`` — the tests show
they agree to rounding, and ``benchmarks/bench_autodiff.py`` measures what one node per scalar
costs next to the vectorised backward pass.
"""
import math

import numpy as np

from .activations import relu_side


class Value:
    """A scalar node: ``data`` (its value), ``grad`` (dL/d this, filled in by ``backward``),
    ``parents`` (the Values it was computed from), ``local_grads`` (d this / d parent, one per
    parent, computed with the value) and ``op`` (the operation, for display)."""

    __slots__ = ("data", "grad", "parents", "local_grads", "op")

    def __init__(self, data, parents=(), op="", local_grads=()):
        self.data, self.grad, self.op = float(data), 0.0, op
        self.parents, self.local_grads = parents, local_grads

    # Each operation computes its value and, beside it, its local gradients.
    def __add__(self, other):  # add distributes: d(s + o)/ds = d(s + o)/do = 1
        other = _as_value(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):  # multiply swaps: d(s o)/ds = o, d(s o)/do = s
        other = _as_value(other)
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __pow__(self, k):  # a constant exponent k: d(s^k)/ds = k s^(k-1)
        return Value(self.data ** k, (self,), f"**{k}", (k * self.data ** (k - 1),))

    def exp(self):  # d e^s/ds = e^s
        e = math.exp(self.data)
        return Value(e, (self,), "exp", (e,))

    def log(self):  # d log s/ds = 1/s
        return Value(math.log(self.data), (self,), "log", (1 / self.data,))

    def tanh(self):  # d tanh s/ds = 1 - tanh^2 s
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1 - t * t,))

    def sigmoid(self):  # d sigma(s)/ds = sigma (1 - sigma); the stable piecewise form
        e = math.exp(-abs(self.data))
        a = 1 / (1 + e) if self.data >= 0 else e / (1 + e)
        return Value(a, (self,), "sigmoid", (a * (1 - a),))

    def relu(self):
        """max(s, 0), a max gate: the gradient is routed to s if s won (s > 0), else to the
        constant 0; the tie at s = 0 follows ``mlp.activations.relu_side`` (slope 0)."""
        won = bool(relu_side(self.data))
        return Value(self.data if won else 0.0, (self,), "relu", (1.0 if won else 0.0,))

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-_as_value(other))

    def __truediv__(self, other):
        return self * _as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rtruediv__(self, other):
        return _as_value(other) / self

    def backward(self):
        """dL/dv into ``v.grad`` for every Value v this one (L) depends on.

        Each node must pass its gradient back only once all of it has arrived, from every
        node that uses it: so visit the nodes in reverse topological order (L first, each node
        before its parents). Grads are zeroed first, so calling it twice gives the same result.
        """
        order = topological_order(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0  # dL/dL
        for v in reversed(order):  # the chain rule, one node at a time
            for parent, local in zip(v.parents, v.local_grads):
                parent.grad += local * v.grad

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)


def topological_order(root):
    """Every Value ``root`` depends on, each listed after all of its parents (root last).

    Depth-first, with an explicit stack rather than recursion: a network's graph is far deeper
    than Python's recursion limit.
    """
    order, seen, stack = [], {root}, [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is listed: the node can follow them
            stack.pop()
            order.append(node)
    return order


# ---- an mlp.MLP's loss, built from Values -------------------------------------------------
ACTIVATIONS = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu,
               "identity": lambda z: z}
LOSSES = {"mse": None, "binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}


def mlp_loss(net, X, Y):
    """``net.loss(X, Y)`` as a Value graph: (L, params) with params[l] = (W, b) nested lists of
    Values holding layer l's weights (W[i][j], b[j]). Hidden/output activations: sigmoid, tanh,
    relu, identity; losses: mse, binary cross-entropy (sigmoid output), log-likelihood
    (softmax output)."""
    X, Y = net._prepare(X, Y)
    _check_supported(net)
    params = [([[Value(w) for w in row] for row in layer.W.tolist()],
               [Value(v) for v in layer.b.tolist()]) for layer in net.layers]
    f = [ACTIVATIONS.get(layer.activation.name) for layer in net.layers]
    if LOSSES[net.loss_fn.name]:  # the cross-entropies take the output layer's z
        f[-1] = ACTIVATIONS["identity"]
    total = Value(0.0)
    for x, y in zip(X.tolist(), Y.tolist()):
        a = x
        for f_l, (W, b) in zip(f, params):
            a = [f_l(_neuron(a, W, b, j)) for j in range(len(b))]
        total = total + _cost(net.loss_fn.name, a, y)
    return total / len(X), params


def _neuron(a, W, b, j):
    """z_j = b_j + sum_i a_i W_ij, one add and one multiply node per input."""
    z = b[j]
    for i, a_i in enumerate(a):
        z = z + W[i][j] * a_i
    return z


def _cost(loss, out, y):
    """The per-example cost C; ``out`` is a for mse, z (before the output activation) for the
    cross-entropies, which are built from z the stable way."""
    if loss == "mse":  # C = 1/2 sum_k (a_k - y_k)^2
        return sum(((a_k - y_k) ** 2 for a_k, y_k in zip(out, y)), Value(0.0)) * 0.5
    if loss == "binary_cross_entropy":  # -sum y log a + (1 - y) log(1 - a), a = sigma(z)
        a = [z_k.sigmoid() for z_k in out]
        return -sum((a_k.log() * y_k + (1 - a_k).log() * (1 - y_k) for a_k, y_k in zip(a, y)),
                    Value(0.0))
    m = max(z_k.data for z_k in out)  # log-likelihood: log sum_k e^(z_k - m) + m - z_y
    logsumexp = sum(((z_k - m).exp() for z_k in out), Value(0.0)).log() + m
    return logsumexp * sum(y) - sum((z_k * y_k for z_k, y_k in zip(out, y) if y_k), Value(0.0))


def _check_supported(net):
    loss, names = net.loss_fn.name, [layer.activation.name for layer in net.layers]
    output = LOSSES.get(loss, "?")
    if loss not in LOSSES or (output and names[-1] != output) or \
            any(n not in ACTIVATIONS for n in names[:-1] + ([] if output else names[-1:])):
        raise ValueError(f"mlp.autodiff builds mse (with {sorted(ACTIVATIONS)}), binary cross-"
                         "entropy with sigmoid and log-likelihood with softmax outputs, hidden "
                         f"activations {sorted(ACTIVATIONS)}; got {names} with loss {loss!r}")


def gradients(net, X, Y):
    """[(dW, db), ...] of ``net.loss(X, Y)`` by ``backward()`` through ``mlp_loss``'s graph:
    float64 arrays shaped like those of ``MLP.gradients``, which they equal up to rounding."""
    L, params = mlp_loss(net, X, Y)
    L.backward()
    return [(np.array([[w.grad for w in row] for row in W]), np.array([v.grad for v in b]))
            for W, b in params]
