"""Activation and loss functions: values, derivatives, stability, names."""
import numpy as np
import pytest

from mlp import activations as A
from mlp import losses as L
from mlp.gradcheck import numerical_gradient

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "prelu"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    act = A.get_activation(name)
    if act.params:
        act.init_params(5, np.float64)
    z = np.array([[-2.0, -0.7, 0.3, 1.1, 2.5]])
    a = act.forward(z)
    numeric = (act.forward(z + 1e-6) - act.forward(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(act.derivative(z, a), numeric, rtol=1e-6, atol=1e-9)


def test_known_values():
    z = np.array([[0.0, 2.0, -3.0]])
    np.testing.assert_allclose(A.Sigmoid().forward(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(A.ReLU().forward(z), [[0, 2, 0]])
    np.testing.assert_allclose(A.LeakyReLU(0.1).forward(z), [[0, 2, -0.3]])
    np.testing.assert_allclose(A.Step().forward(z), [[0, 1, 0]])
    np.testing.assert_allclose(A.ReLU().derivative(z, None), [[0, 1, 0]])  # 0 at z = 0


def test_tanh_is_a_rescaled_sigmoid():
    z = np.linspace(-4, 4, 9)[None]
    np.testing.assert_allclose(np.tanh(z), 2 * A.sigmoid(2 * z) - 1, atol=1e-6)


def test_sigmoid_and_softmax_do_not_overflow():
    z = np.array([[-1000.0, 0.0, 1000.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(A.Sigmoid().forward(z), [[0, 0.5, 1]])
        a = A.Softmax().forward(z)
    np.testing.assert_allclose(a, [[0, 0, 1]])
    np.testing.assert_allclose(A.softmax([1.0, 1.0]), [0.5, 0.5])


def test_prelu_alpha_gradient():
    act = A.PReLU()
    act.init_params(3, np.float64)
    z = np.array([[-1.0, 2.0, -3.0], [-0.5, -1.0, 1.0]])
    da = np.ones_like(z)

    def f():
        return float((act.forward(z) * da).sum())
    numeric = numerical_gradient(f, act.alpha)
    np.testing.assert_allclose(act.param_gradients(z, da), numeric, rtol=1e-7)


def test_unknown_names_are_rejected_with_the_choices():
    with pytest.raises(ValueError, match="unknown activation 'relux'.*relu"):
        A.get_activation("relux")
    with pytest.raises(ValueError, match="unknown loss"):
        L.get_loss("hinge")


def test_loss_values():
    Y = np.array([[0.0, 1.0]])
    a = np.array([[0.2, 0.6]])
    assert L.MeanSquaredError().value(None, a, Y, A.Identity()) == pytest.approx(0.5 * (0.04 + 0.16))
    bce = L.BinaryCrossEntropy().value(None, a, Y, A.Identity())
    assert bce == pytest.approx(-(np.log(0.8) + np.log(0.6)))
    z = np.log(np.array([[1.0, 3.0]]))  # softmax -> [0.25, 0.75]
    cce = L.CategoricalCrossEntropy().value(z, A.Softmax().forward(z), Y, A.Softmax())
    assert cce == pytest.approx(-np.log(0.75))


def test_cross_entropy_is_finite_for_saturated_outputs():
    z = np.array([[-800.0, 800.0]])
    Y = np.array([[1.0, 0.0]])
    value = L.CategoricalCrossEntropy().value(z, A.Softmax().forward(z), Y, A.Softmax())
    assert value == pytest.approx(1600.0)
    bce = L.BinaryCrossEntropy().value(z, A.Sigmoid().forward(z), Y, A.Sigmoid())
    assert bce == pytest.approx(1600.0)
