"""The MLP's public surface: shapes, predictions, errors users will make, files."""
import numpy as np
import pytest

import mlp


def _net(**kw):
    return mlp.MLP([4, 5, 3], activation="tanh", output="softmax", loss="cross_entropy", **kw)


def test_shapes_follow_the_row_convention():
    net = mlp.MLP([784, 300, 10])
    assert [l.W.shape for l in net.layers] == [(784, 300), (300, 10)]
    assert [l.b.shape for l in net.layers] == [(300,), (10,)]
    assert net.n_params == 784 * 300 + 300 + 300 * 10 + 10
    assert net.forward(np.zeros((7, 784))).shape == (7, 10)
    assert net.layers[0].W.dtype == np.float32


def test_forward_is_z_equals_a_at_W_plus_b():
    net = mlp.MLP([3, 2], output="identity")
    X = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(net.forward(X), X @ net.layers[0].W + net.layers[0].b, rtol=1e-6)


def test_softmax_outputs_are_probabilities_and_predict_is_argmax():
    X = np.random.default_rng(0).normal(size=(10, 4))
    net = _net()
    p = net.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(net.predict(X), p.argmax(axis=1))
    assert 0 <= net.accuracy(X, np.zeros(10, int)) <= 1


def test_single_output_unit_thresholds_at_one_half():
    net = mlp.MLP([1, 1], output="identity")
    net.layers[0].W[...] = 1
    np.testing.assert_array_equal(net.predict([[0.2], [0.7]]), [0, 1])


def test_integer_labels_and_one_hot_targets_give_the_same_loss():
    X = np.random.default_rng(1).normal(size=(6, 4))
    y = np.array([0, 1, 2, 2, 1, 0])
    net = _net()
    assert net.loss(X, y) == pytest.approx(net.loss(X, np.eye(3)[y]))


@pytest.mark.parametrize("X,message", [
    (np.zeros((5, 3)), r"shape \(N, 4\).*got shape \(5, 3\)"),
    (np.zeros((2, 2, 4)), r"shape \(N, 4\)"),
    (np.array([[1, 2, np.nan, 4.0]]), "NaN or infinite"),
    (np.array([["a", "b", "c", "d"]]), "numeric"),
])
def test_bad_inputs_are_named(X, message):
    with pytest.raises((ValueError, TypeError), match=message):
        _net().forward(X)


@pytest.mark.parametrize("y,message", [
    (np.array([0, 1, 3]), r"labels must lie in \[0, 2\].*from 0 to 3"),
    (np.array([0, -1, 2]), r"labels must lie in \[0, 2\]"),
    (np.array([0.5, 1, 2]), "whole-number"),
    (np.zeros((3, 4)), r"shape \(N, 3\)"),
    (np.array([0, 1]), "has 2 rows but X has 3"),
])
def test_bad_targets_are_named(y, message):
    with pytest.raises(ValueError, match=message):
        _net().loss(np.zeros((3, 4)), y)


def test_bad_construction():
    with pytest.raises(ValueError, match="at least an input and an output"):
        mlp.MLP([5])
    with pytest.raises(ValueError, match="2 entries but the network has 1 hidden"):
        mlp.MLP([2, 3, 1], activation=["relu", "tanh"])
    with pytest.raises(ValueError, match="unknown init"):
        mlp.MLP([2, 1], init="zeros?")


def test_same_seed_same_network_and_different_seed_different():
    a, b, c = _net(seed=3), _net(seed=3), _net(seed=4)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))
    assert not np.array_equal(a.layers[0].W, c.layers[0].W)


def test_prelu_layers_do_not_share_their_slopes():
    act = mlp.activations.PReLU(0.1)
    net = mlp.MLP([2, 3, 3, 1], activation=act)
    net.layers[0].activation.alpha[0] = 5
    assert net.layers[1].activation.alpha[0] == pytest.approx(0.1)


def test_save_load_round_trip(tmp_path):
    net = mlp.MLP([4, 6, 5, 3], activation=["prelu", mlp.activations.LeakyReLU(0.2)],
                  output="softmax", loss="cross_entropy", seed=9, dropout=0.1)
    net.layers[0].activation.alpha[:] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    net.save(tmp_path / "m.npz")
    twin = mlp.MLP.load(tmp_path / "m.npz")
    X = np.random.default_rng(0).normal(size=(5, 4))
    np.testing.assert_array_equal(net.forward(X), twin.forward(X))
    assert twin.config == net.config
    assert repr(twin.layers[1].activation) == "LeakyReLU(alpha=0.2)"
    assert list(tmp_path.iterdir()) == [tmp_path / "m.npz"]  # no temp file left


def test_load_rejects_other_files_and_architectures(tmp_path):
    np.savez(tmp_path / "plain.npz", W0=np.zeros(3))
    with pytest.raises(ValueError, match="not written by mlp.io.save"):
        mlp.MLP.load(tmp_path / "plain.npz")
    np.savez(tmp_path / "evil.npz", header=np.array([object()], dtype=object))
    with pytest.raises(ValueError, match="not a readable mlp model"):
        mlp.MLP.load(tmp_path / "evil.npz")  # object arrays would need unpickling: refused
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="junk.npz"):
        mlp.MLP.load(tmp_path / "junk.npz")
    _net().save(tmp_path / "small.npz")
    with pytest.raises(ValueError, match=r"sizes \[4, 5, 3\], expected \[784, 30, 10\]"):
        mlp.MLP.load(tmp_path / "small.npz", expect_sizes=[784, 30, 10])


def test_load_rejects_a_newer_format_version(tmp_path):
    import json
    _net().save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as f:
        arrays = dict(f)
    header = json.loads(str(arrays["header"]))
    header["version"] = 99
    arrays["header"] = np.array(json.dumps(header))
    np.savez(tmp_path / "m99.npz", **arrays)
    with pytest.raises(ValueError, match="version 99"):
        mlp.MLP.load(tmp_path / "m99.npz")


def test_copy_to_float64_keeps_the_function():
    net = _net(seed=2)
    X = np.random.default_rng(0).normal(size=(3, 4))
    np.testing.assert_allclose(net.copy(np.float64).forward(X), net.forward(X), rtol=1e-5)
    assert net.copy(np.float64).layers[0].W.dtype == np.float64


def test_copy_keeps_the_recorded_config():
    net = _net(seed=2, init="he_normal")
    assert net.copy(np.float64).config == dict(net.config, dtype="float64")
