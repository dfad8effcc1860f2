"""Learning on tiny real tasks (chapter 7): goml's boolean table test, done right.

The goml post tests its network by training it on boolean truth tables and asserting that every
rounded output equals its label. These tests keep that idea and fix its flaws: the "xor" case is
the real XOR (goml's labels 0, 1, 0, 1 are "output = second input"), a single-layer net is shown
*unable* to learn it, and every test builds its own network (no model shared across cases).
"""
import numpy as np
import pytest

import mlp
from mlp.data.toy import make_moons, truth_table

LR = 2.0  # full-batch gradient descent on the 4 rows of a truth table, squared error


def train_table(y, sizes=(2, 1), activation="sigmoid", epochs=1000, seed=0):
    """A fresh MLP trained on the truth table inputs with targets y (4, 1)."""
    X, _ = truth_table("and")
    net = mlp.MLP(list(sizes), activation=activation, loss="mse", seed=seed)
    net.fit(X, y, epochs=epochs, batch_size=4, lr=LR, shuffle=False)
    return net, X


@pytest.mark.parametrize("name", ["must", "and", "or", "nand", "nor"])
def test_single_layer_learns_linearly_separable_tables(name):
    _, y = truth_table(name)
    net, X = train_table(y)
    np.testing.assert_array_equal(net.predict(X), y[:, 0].astype(int))
    assert np.abs(net.predict_proba(X) - y).max() < 0.25  # right, and not by a hair


def test_goml_mislabelled_xor_is_the_second_input_and_one_layer_learns_it():
    X, _ = truth_table("xor")
    goml_xor = np.array([[0], [1], [0], [1]], dtype=np.float32)  # goml's labels for 00 01 10 11
    np.testing.assert_array_equal(goml_xor, X[:, 1:])  # it is "output = x2", not XOR
    net, X = train_table(goml_xor)
    np.testing.assert_array_equal(net.predict(X), [0, 1, 0, 1])
    W = net.layers[0].W[:, 0]
    assert abs(W[1]) > 5 * abs(W[0])  # the net relies on x2 and (almost) ignores x1


def test_single_layer_cannot_learn_xor():
    _, y = truth_table("xor")
    net, X = train_table(y, epochs=3000)
    assert net.accuracy(X, y) <= 0.75  # no line separates XOR (chapter 1)
    # squared error settles at its single-layer optimum: 0.5 everywhere, loss 1/2 * 0.5^2
    assert net.loss(X, y) == pytest.approx(0.125, abs=1e-3)
    np.testing.assert_allclose(net.predict_proba(X), 0.5, atol=0.02)


def test_one_hidden_layer_learns_xor_fixed_seed():
    _, y = truth_table("xor")
    net, X = train_table(y, sizes=(2, 4, 1), activation="tanh", seed=0)
    np.testing.assert_array_equal(net.predict(X), [0, 1, 1, 0])
    assert net.loss(X, y) < 0.01


def test_one_hidden_layer_learns_xor_for_most_seeds():
    _, y = truth_table("xor")
    solved = [train_table(y, sizes=(2, 4, 1), activation="tanh", epochs=600, seed=s)[0]
              .accuracy(truth_table("xor")[0], y) == 1.0 for s in range(10)]
    assert sum(solved) >= 8, f"only {sum(solved)} of 10 seeds learned XOR"


def test_moons_with_a_small_hidden_layer():
    X, y = make_moons(400, noise=0.15, seed=0)
    Xv, yv = make_moons(200, noise=0.15, seed=1)
    net = mlp.MLP([2, 8, 2], activation="tanh", output="softmax", loss="cross_entropy", seed=0)
    net.fit(X, y, epochs=60, batch_size=32, optimizer="adam", lr=0.02)
    assert net.accuracy(X, y) >= 0.95
    assert net.accuracy(Xv, yv) >= 0.95  # and it generalises to fresh points


def _trained_moons_net(seed):
    X, y = make_moons(200, noise=0.2, seed=3)
    net = mlp.MLP([2, 8, 2], activation="relu", output="softmax", loss="cross_entropy", seed=seed)
    net.fit(X, y, epochs=5, batch_size=16, lr=0.1)
    return net, X


def test_same_seed_gives_bit_identical_training():
    a, _ = _trained_moons_net(seed=7)
    b, _ = _trained_moons_net(seed=7)
    for p, q in zip(a.params(), b.params()):
        assert p.dtype == q.dtype and np.array_equal(p, q)
    c, _ = _trained_moons_net(seed=8)
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)  # and the seed does matter


def test_saved_and_loaded_net_predicts_identically(tmp_path):
    net, X = _trained_moons_net(seed=0)
    path = tmp_path / "moons.npz"
    net.save(path)
    twin = mlp.MLP.load(path)
    assert twin is not net
    np.testing.assert_array_equal(twin.predict_proba(X), net.predict_proba(X))
    np.testing.assert_array_equal(twin.predict(X), net.predict(X))
