"""mlp.autodiff: each local gradient against central differences, the gate patterns, the
topological order, and the whole graph of an MLP's loss against MLP.gradients."""
import itertools
import math

import numpy as np
import pytest

import mlp
from mlp.autodiff import Value, gradients, mlp_loss, topological_order

UNARY = {  # op -> (build, test point)
    "exp": (lambda v: v.exp(), 0.7), "log": (lambda v: v.log(), 1.3),
    "tanh": (lambda v: v.tanh(), -0.4), "sigmoid": (lambda v: v.sigmoid(), 0.9),
    "sigmoid<0": (lambda v: v.sigmoid(), -2.5), "relu+": (lambda v: v.relu(), 0.8),
    "relu-": (lambda v: v.relu(), -0.8), "pow3": (lambda v: v ** 3, 1.7),
    "neg": (lambda v: -v, 0.3), "rsub": (lambda v: 2 - v, 0.3), "rdiv": (lambda v: 2 / v, 0.6),
}
BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
          "div": lambda a, b: a / b, "mixed": lambda a, b: (a * b + a.exp()).tanh() / (b ** 2)}


def _central(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_local_gradients_match_central_differences(name):
    build, x0 = UNARY[name]
    x = Value(x0)
    out = build(x)
    out.backward()
    assert x.grad == pytest.approx(_central(lambda t: build(Value(t)).data, x0), rel=1e-7,
                                   abs=1e-10)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_gradients_match_central_differences(name):
    f = BINARY[name]
    a, b = Value(1.5), Value(-0.8)
    f(a, b).backward()
    assert a.grad == pytest.approx(_central(lambda t: f(Value(t), Value(-0.8)).data, 1.5), rel=1e-7)
    assert b.grad == pytest.approx(_central(lambda t: f(Value(1.5), Value(t)).data, -0.8), rel=1e-7)


def test_add_distributes_multiply_swaps_max_routes():
    a, b = Value(3.0), Value(-2.0)
    s = a + b
    p = s * Value(4.0)  # upstream gradient of s is 4
    p.backward()
    assert (a.grad, b.grad) == (4.0, 4.0)  # add: both get the upstream gradient
    a, b = Value(3.0), Value(-2.0)
    (a * b).backward()
    assert (a.grad, b.grad) == (-2.0, 3.0)  # multiply: each gets the other input
    z_on, z_off, z_tie = Value(2.0), Value(-2.0), Value(0.0)
    for z in (z_on, z_off, z_tie):
        (z.relu() * 5).backward()
    assert (z_on.grad, z_off.grad, z_tie.grad) == (5.0, 0.0, 0.0)  # max: all or nothing; tie 0


def test_a_value_used_twice_accumulates_and_backward_can_repeat():
    x = Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1 = 7: two paths through the multiply, one through the add
    y.backward()
    assert x.grad == 7.0
    y.backward()
    assert x.grad == 7.0  # zeroed first, not doubled


def test_topological_order_lists_parents_first_and_survives_deep_graphs():
    x = Value(1.0)
    y = x
    for _ in range(20000):  # far beyond Python's recursion limit
        y = y + 1.0
    order = topological_order(y)
    assert order[-1] is y and order[0] is x
    position = {id(v): i for i, v in enumerate(order)}
    assert all(position[id(p)] < position[id(v)] for v in order for p in v.parents)
    y.backward()
    assert x.grad == 1.0 and y.data == 20001.0


def test_sigmoid_is_stable_in_both_tails():
    assert Value(-800.0).sigmoid().data == 0.0 and Value(800.0).sigmoid().data == 1.0
    assert Value(-30.0).sigmoid().data == pytest.approx(math.exp(-30) / (1 + math.exp(-30)),
                                                        rel=1e-15)


NETWORKS = [([2, 2, 1], "sigmoid", "mse"), ([3, 4, 2], "sigmoid", "binary_cross_entropy"),
            ([4, 5, 3], "softmax", "cross_entropy"), ([3, 6, 4, 3], "softmax", "cross_entropy"),
            ([3, 4, 4, 2], "identity", "mse"), ([5, 3, 3, 3, 2], "sigmoid", "binary_cross_entropy"),
            ([2, 3, 2], "tanh", "mse")]


@pytest.mark.parametrize("sizes,output,loss,hidden",
                         [n + (h,) for n, h in itertools.product(NETWORKS, ["sigmoid", "tanh",
                                                                            "relu"])])
def test_the_scalar_graph_gives_mlp_gradients(sizes, output, loss, hidden):
    """Backprop as the layered, vectorised algorithm and as autodiff on scalars: one gradient."""
    rng = np.random.default_rng(len(sizes) * 10 + sizes[0])
    net = mlp.MLP(sizes, activation=hidden, output=output, loss=loss, seed=sizes[1],
                  dtype=np.float64)
    for layer in net.layers:
        layer.b[...] = rng.normal(0, 0.5, layer.b.shape)
    X = rng.normal(size=(5, sizes[0]))
    Y = rng.integers(0, sizes[-1], 5) if output == "softmax" else rng.random((5, sizes[-1]))
    L, _ = mlp_loss(net, X, Y)
    assert L.data == pytest.approx(net.loss(X, Y), rel=1e-12)
    for ours, theirs in zip(gradients(net, X, Y), net.gradients(X, Y)):
        for g, h in zip(ours, theirs):
            assert g.shape == h.shape
            assert mlp.elementwise_relative_error(g, h, floor=1e-300) < 1e-10


def test_relu_kink_follows_the_same_convention_as_the_network():
    """Zero inputs and zero biases put every first-layer z exactly on ReLU's kink."""
    net = mlp.MLP([3, 4, 2], activation="relu", output="softmax", loss="cross_entropy",
                  dtype=np.float64)
    X, y = np.zeros((2, 3)), np.array([0, 1])
    for ours, theirs in zip(gradients(net, X, y), net.gradients(X, y)):
        for g, h in zip(ours, theirs):
            np.testing.assert_array_equal(g, h)


def test_unsupported_networks_are_refused_with_what_is_supported():
    with pytest.raises(ValueError, match="log-likelihood with softmax"):
        mlp_loss(mlp.MLP([2, 2], output="softmax", loss="mse"), np.zeros((1, 2)), [0])
    with pytest.raises(ValueError, match="hidden activations"):
        mlp_loss(mlp.MLP([2, 3, 2], activation="gelu"), np.zeros((1, 2)), np.zeros((1, 2)))
