"""Analytic gradients against central differences, for every activation x loss x depth."""
import itertools

import numpy as np
import pytest

import mlp
from mlp.activations import LeakyReLU, Softmax
from mlp.gradcheck import elementwise_relative_error, numerical_gradient, relative_error

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "gelu", "silu", "identity"]
OUTPUT_LOSS = [
    ("sigmoid", "mse"), ("sigmoid", "binary_cross_entropy"), ("identity", "mse"),
    ("tanh", "mse"), ("softmax", "cross_entropy"), ("softmax", "mse"),
    ("relu", "mse"), ("prelu", "mse"), ("leaky_relu", "mse"),
]
DEPTHS = [[3, 2], [3, 5, 2], [3, 4, 5, 2]]
TOL = 1e-6
TOL_ELEMENTWISE = 1e-4  # the worst single entry (see mlp.gradcheck)


def _data(sizes, output, seed=0):
    """Random inputs (no exact zeros, so ReLU kinks are not hit) and targets that suit the output."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, sizes[0]))
    n_out = sizes[-1]
    if output == "softmax":
        return X, rng.integers(0, n_out, 6)
    if output == "sigmoid":
        return X, rng.random((6, n_out))
    return X, rng.normal(size=(6, n_out))


@pytest.mark.parametrize("hidden,output_loss,sizes",
                         list(itertools.product(HIDDEN, OUTPUT_LOSS, DEPTHS)))
def test_gradients_match_central_differences(hidden, output_loss, sizes):
    output, loss = output_loss
    net = _away_from_kinks(mlp.MLP(sizes, activation=hidden, output=output, loss=loss, seed=3))
    X, Y = _data(sizes, output)
    report = mlp.gradcheck_report(net, X, Y)
    assert max(row["norm"] for row in report) < TOL
    assert max(row["elementwise"] for row in report) < TOL_ELEMENTWISE


def _away_from_kinks(net):
    """Nonzero biases: with b = 0, a dead ReLU feeds exact zeros forward, some z lands exactly on
    the kink at 0 where no derivative exists, and central differences see half a slope."""
    rng = np.random.default_rng(7)
    for layer in net.layers:
        layer.b[...] = rng.normal(0, 0.5, layer.b.shape)
    return net


@pytest.mark.parametrize("l2", [0.01, 0.5])
def test_gradients_with_l2_weight_decay(l2):
    net = mlp.MLP([3, 5, 2], activation="tanh", output="softmax", loss="cross_entropy", seed=1)
    X, y = _data([3, 5, 2], "softmax")
    assert mlp.gradcheck(net, X, y, l2=l2) < TOL


def test_prelu_slopes_are_learned_and_checked():
    net = mlp.MLP([3, 4, 4, 2], activation="prelu", output="sigmoid", loss="mse", seed=5)
    grads = net.gradients(*_data([3, 4, 4, 2], "sigmoid"))
    assert [len(g) for g in grads] == [3, 3, 2]  # (dW, db, dalpha) for the PReLU layers
    assert np.abs(grads[0][2]).sum() > 0
    assert mlp.gradcheck(net, *_data([3, 4, 4, 2], "sigmoid")) < TOL


def test_mixed_activations_per_layer():
    net = mlp.MLP([3, 4, 4, 2], activation=["relu", LeakyReLU(0.2)], output="softmax",
                  loss="cross_entropy", seed=2)
    assert mlp.gradcheck(net, *_data([3, 4, 4, 2], "softmax")) < TOL


def test_gradcheck_exposes_a_backprop_without_the_activation_derivative():
    """The goml hidden-layer rule: pass delta @ W.T back without multiplying by f'(z)."""
    def goml_gradients(net, X, Y):
        net._forward(X)
        out, hidden = net.layers[1], net.layers[0]
        _, z, a, _ = out.cache
        delta = out.activation.backward(z, a, net.loss_fn.grad(a, Y))
        err_hidden, out_grads = out.backward_delta(delta)
        _, hidden_grads = hidden.backward_delta(err_hidden)  # f'(z_hidden) is missing here
        return [hidden_grads, out_grads]

    net = mlp.MLP([3, 5, 2], activation="sigmoid", output="sigmoid", loss="mse", seed=0)
    X, Y = _data([3, 5, 2], "sigmoid")
    assert mlp.gradcheck(net, X, Y) < TOL
    assert mlp.gradcheck(net, X, Y, gradients=goml_gradients) > 0.1


def test_one_wrong_entry_is_caught_elementwise_but_diluted_by_the_norm():
    """Issue 13: whole-array norms add up every entry, so one wrong entry that is small next to
    the others barely moves ||g_a - g_n|| / (||g_a|| + ||g_n||). Here input 0 is tiny, so the
    gradient of its weights is too, and one of them has the wrong sign."""
    rng = np.random.default_rng(0)
    net = mlp.MLP([20, 30, 3], activation="tanh", output="softmax", loss="cross_entropy", seed=0)
    X = rng.normal(size=(8, 20))
    X[:, 0] *= 1e-5
    y = rng.integers(0, 3, 8)

    def one_sign_flipped(net, X, Y):
        grads = [list(g) for g in net.gradients(X, Y)]
        grads[0][0] = grads[0][0].copy()
        grads[0][0][0, 0] *= -1
        return grads
    assert mlp.gradcheck(net, X, y) < TOL
    assert mlp.gradcheck(net, X, y, measure="elementwise") < TOL_ELEMENTWISE
    assert mlp.gradcheck(net, X, y, gradients=one_sign_flipped) < TOL  # diluted: it passes
    assert mlp.gradcheck(net, X, y, gradients=one_sign_flipped, measure="elementwise") > 0.01
    report = mlp.gradcheck_report(net, X, y, gradients=one_sign_flipped)
    assert [(r["layer"], r["param"]) for r in report] == [(0, "W"), (0, "b"), (1, "W"), (1, "b")]
    assert report[0]["worst_index"] == (0, 0) and report[0]["elementwise"] > 0.01
    with pytest.raises(ValueError, match="measure must be one of"):
        mlp.gradcheck(net, X, y, measure="max")


def test_elementwise_relative_error_by_hand():
    a, n = np.array([1.0, 2.0, 1e-3]), np.array([1.0, 2.0, -1e-3])
    assert elementwise_relative_error(a, n) == pytest.approx(1.0)  # the sign flip, in full
    assert relative_error(a, n) == pytest.approx(2e-3 / (2 * np.linalg.norm(a)))  # diluted
    assert elementwise_relative_error([0.0, 1e-9], [0.0, 2e-9]) == pytest.approx(1e-4)  # floor
    assert elementwise_relative_error(np.zeros(0), np.zeros(0)) == 0.0


def test_numerical_gradient_of_a_quadratic():
    theta = np.array([1.0, -2.0, 3.0])
    g = numerical_gradient(lambda: float((theta ** 2).sum()), theta)
    np.testing.assert_allclose(g, 2 * theta, rtol=1e-8)
    assert relative_error(g, 2 * theta) < 1e-9
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_softmax_backward_is_the_jacobian_vector_product():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(1, 4))
    sm = Softmax()
    a = sm.forward(z)
    jacobian = np.diag(a[0]) - np.outer(a[0], a[0])
    da = rng.normal(size=(1, 4))
    np.testing.assert_allclose(sm.backward(z, a, da)[0], jacobian @ da[0], rtol=1e-12)
