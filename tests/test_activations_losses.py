"""Activation and loss functions: values, derivatives, stability, names."""
import math

import numpy as np
import pytest

from mlp import activations as A
from mlp import losses as L
from mlp.gradcheck import numerical_gradient

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "gelu", "silu"]


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


def test_sigmoid_keeps_its_lower_tail_in_float32():
    """Issue 13: (1 + tanh(z/2)) / 2 gave sigma(-17) = 5.96e-8 (truth 4.14e-8) and sigma(-20) = 0
    in float32. The piecewise form is accurate to float32 rounding down to z = -80."""
    z = np.linspace(-80, 80, 1601).astype(np.float32).astype(np.float64)  # exact in float32
    truth = np.array([1 / (1 + math.exp(-v)) for v in z])  # float64, no tail problem for v < 700
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a32 = A.Sigmoid().forward(z.astype(np.float32)[None])[0]
        a64 = A.Sigmoid().forward(z[None])[0]
    assert a32.dtype == np.float32
    assert np.max(np.abs(a32 - truth) / truth) < 5e-7  # float32 rounding (1.8e-7), at every z
    assert np.max(np.abs(a64 - truth) / truth) < 1e-14
    assert float(A.sigmoid(np.float32(-17))) == pytest.approx(4.1399377e-8, rel=1e-6)
    assert float(A.sigmoid(np.float32(-20))) == pytest.approx(2.0611537e-9, rel=1e-6)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "gelu", "silu", "relu", "leaky_relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_are_finite_and_keep_dtype_for_huge_inputs(name, dtype):
    act = A.get_activation(name)
    z = np.array([[-3e38, -1e30, -1e4, -100.0, -17.0, 0.0, 17.0, 100.0, 1e4, 1e30, 3e38]], dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = act.forward(z)
        d = act.backward(z, a, np.ones_like(z))
    assert a.dtype == dtype and d.dtype == dtype
    assert np.isfinite(a).all() and np.isfinite(d).all()


def test_gelu_is_the_tanh_approximation_of_z_phi_z():
    """Hendrycks & Gimpel's tanh form, within 5e-4 of the exact z Phi(z) (via math.erf)."""
    z = np.linspace(-8, 8, 4001)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in z])
    tanh_form = 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z ** 3)))
    a = A.GELU().forward(z[None])[0]
    np.testing.assert_allclose(a, tanh_form, rtol=1e-12, atol=1e-15)
    assert 4e-4 < np.abs(a - exact).max() < 5e-4  # an approximation, and this close
    np.testing.assert_allclose(A.GELU().forward(np.array([[-30.0, 30.0]])), [[0, 30]], atol=1e-30)


def test_silu_is_z_times_its_sigmoid():
    z = np.linspace(-10, 10, 101)[None]
    np.testing.assert_allclose(A.SiLU().forward(z), z / (1 + np.exp(-z)), rtol=1e-12)
    assert A.get_activation("swish").name == "silu"


def test_relu_convention_at_zero_lives_in_one_function():
    """ReLU'(0) = 0 (and leaky ReLU's slope at 0 is alpha), because relu_side(0) is False."""
    z = np.array([[-1.0, 0.0, 1.0]])
    assert A.relu_side(z).tolist() == [[False, False, True]]
    np.testing.assert_array_equal(A.ReLU().derivative(z, None), [[0, 0, 1]])
    np.testing.assert_array_equal(A.ReLU().backward(z, None, np.full_like(z, 3.0)), [[0, 0, 3]])
    np.testing.assert_array_equal(A.LeakyReLU(0.1).derivative(z, None), [[0.1, 0.1, 1]])


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
