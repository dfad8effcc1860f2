"""The seed posts' configurations (mlp.book.seeds, chapter 9): goml's rule, unit conversions, cache,
and one short real-MNIST run of post 004's network."""
import os
from pathlib import Path

import numpy as np
import pytest

import mlp
from mlp.book import seeds
from mlp.data.mnist import find_file, load_mnist

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def _small_goml_net(rule="true", loss="mse", seed=1):
    cls = seeds.GomlRuleMLP if rule == "goml" else mlp.MLP
    return cls([12, 6, 4], activation="sigmoid", output="sigmoid", loss=loss,
               init=seeds.goml_init, seed=seed)


def _small_data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((8, 12)), rng.integers(0, 4, 8)


def test_goml_rule_fails_the_gradient_check_while_backprop_passes():
    net = _small_goml_net()
    X, y = _small_data()
    assert mlp.gradcheck(net, X, y) < 1e-6
    assert mlp.gradcheck(net, X, y, gradients=seeds.goml_gradients) > 0.1


def test_goml_rule_is_exact_for_the_output_layer_only():
    net = _small_goml_net()
    X, y = _small_data()
    true, goml = net.gradients(X, y), seeds.goml_gradients(net, X, y)
    np.testing.assert_allclose(goml[1][0], true[1][0], rtol=1e-6)
    np.testing.assert_allclose(goml[1][1], true[1][1], rtol=1e-6)
    assert mlp.relative_error(goml[0][0], true[0][0]) > 0.1


def test_goml_hidden_rule_is_the_cross_entropy_hidden_gradient():
    X, y = _small_data()
    goml = seeds.goml_gradients(_small_goml_net(), X, y)
    bce = _small_goml_net(loss="binary_cross_entropy").gradients(X, y)
    np.testing.assert_allclose(goml[0][0], bce[0][0], rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(goml[0][1], bce[0][1], rtol=1e-5, atol=1e-8)


def _goml_update_by_hand(W1, b1, W2, b2, x, y, eta):
    """One step of goml's Layer.BackProp, transcribed in its column convention (W is out x in)."""
    W1, b1, W2, b2 = W1.T.astype(np.float64), b1.astype(np.float64), W2.T.astype(np.float64), \
        b2.astype(np.float64)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = W1 @ x + b1
    a1 = sig(z1)
    z2 = W2 @ a1 + b2
    a2 = sig(z2)
    e2 = a2 - y                                   # output lastE
    c2 = W2 * e2[:, None]                         # lastC[j][k] = w_jk * lastE[j] (old weights)
    W2n = W2 - eta * np.outer(2 * e2 * a2 * (1 - a2), a1)
    b2n = b2 - eta * 2 * e2 * a2 * (1 - a2)
    e1 = c2.sum(axis=0)                           # hidden lastE: sum over the next layer
    W1n = W1 - eta * np.outer(2 * e1 * a1 * (1 - a1), x)
    b1n = b1 - eta * 2 * e1 * a1 * (1 - a1)
    return W1n.T, b1n, W2n.T, b2n


def test_one_goml_rule_step_matches_gomls_update_with_doubled_learning_rate():
    ref = _small_goml_net(rule="goml")
    net = seeds.GomlRuleMLP(**dict(ref.config, init="scaled_normal", dtype="float64"))
    for mine, theirs in zip(net.params(), ref.params()):
        mine[...] = theirs
    X, y = _small_data()
    Y = mlp.data.one_hot(y, 4, np.float64)
    expected = _goml_update_by_hand(*[p.copy() for p in net.params()], X[0], Y[0], eta=0.1)
    net.fit(X[:1], Y[:1], epochs=1, batch_size=1, lr=seeds.goml_learning_rate(0.1))
    for got, want in zip(net.params(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_learning_rate_conversion_and_reported_loss_factor():
    assert seeds.goml_learning_rate(0.1) == pytest.approx(0.2)
    net = _small_goml_net()
    X, y = _small_data()
    Y = mlp.data.one_hot(y, 4, np.float32)
    goml_reported = np.mean((net.forward(X) - Y) ** 2)   # goml's Loss: mean over all outputs
    n_out = Y.shape[1]                                   # C = 1/2 sum_k = (n_out / 2) * mean_k
    assert net.loss(X, Y) == pytest.approx(n_out / 2 * goml_reported, rel=1e-5)


def test_goml_rule_refuses_other_losses_and_weight_decay():
    with pytest.raises(ValueError, match="squared error"):
        seeds.goml_network(hidden=4, rule="goml", loss="binary_cross_entropy")
    net = _small_goml_net(rule="goml")
    X, y = _small_data()
    with pytest.raises(ValueError, match="weight decay"):
        net.fit(X, y, epochs=1, batch_size=4, lr=0.1, l2=0.01)


def test_goml_init_scales_weights_and_draws_biases_in_unit_interval():
    W, b = seeds.goml_init(784, 300, np.random.default_rng(0))
    assert W.shape == (784, 300) and b.shape == (300,)
    assert W.dtype == np.float32 and b.dtype == np.float32
    assert abs(W.std() * np.sqrt(784) - 1) < 0.01
    assert 0 <= b.min() and b.max() < 1


def test_load_or_train_gives_identical_results_trained_or_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("MLP_CACHE_DIR", str(tmp_path))
    X, y = _small_data()
    calls = []

    def train():
        calls.append(1)
        net = _small_goml_net()
        return net, net.fit(X, y, epochs=3, batch_size=4, lr=0.5)

    spec = dict(test="cache", epochs=3)
    net1, h1 = seeds.load_or_train("tiny", spec, train)
    net2, h2 = seeds.load_or_train("tiny", spec, train)
    assert len(calls) == 1
    assert h1 == h2 and h1["epoch"] == [1, 2, 3]
    for a, b in zip(net1.params(), net2.params()):
        np.testing.assert_array_equal(a, b)
    assert seeds.model_name("tiny", spec) != seeds.model_name("tiny", dict(spec, epochs=4))
    net3, h3 = seeds.load_or_train("tiny", spec, train, cache=False)
    assert len(calls) == 2 and set(h3) == set(h1)


def test_results_table_aligns_columns():
    text = seeds.results_table([("001", "784-300-10", "SGD", "96.44%", "96.50%")])
    lines = text.splitlines()
    assert lines[0].split() == ["post", "architecture", "training", "reported", "ours"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split()[-1] == "96.50%"
    assert seeds.percent(0.96437) == "96.44%"


def _mnist_dir():
    for candidate in (os.environ.get("MLP_MNIST_DIR"),
                      Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"):
        if candidate and all(find_file(f, [candidate]) for f in FILES):
            return Path(candidate)
    return None


@pytest.mark.skipif(_mnist_dir() is None, reason="real MNIST not found: set MLP_MNIST_DIR")
def test_post004_network_learns_real_mnist_from_5000_images():
    mnist = load_mnist(data_dir=_mnist_dir(), download=False)
    net, history = seeds.train_post004(eta=3.0, epochs=5, n_train=5000, data=mnist, cache=False)
    X_test, y_test = mnist[1]
    assert net.n_params == 23860
    assert history["val_accuracy"][-1] > history["val_accuracy"][0]
    assert net.accuracy(X_test, y_test) >= 0.85


def test_cache_names_follow_the_pinned_blas_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    if not [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]:
        pytest.skip("no BLAS library that threadpoolctl can pin")
    spec = dict(test="threads")
    names = []
    for n in (1, 2, 1):
        with threadpoolctl.threadpool_limits(limits=n, user_api="blas"):
            assert seeds.blas_threads() == str(n)
            names.append(seeds.model_name("tiny", spec))
    assert names[0] != names[1] and names[0] == names[2]


def test_quick_reproduction_trains_the_chapters_subsets(monkeypatch):
    seen = []

    class Net:
        def accuracy(self, X, y):
            return 0.5

    def fake(*args, n_train=None, **kwargs):
        seen.append(n_train)
        return Net(), {"epoch": [1, 2, 3, 4, 5]}

    for name in ("train_goml", "train_digit_recognizer", "train_post004"):
        monkeypatch.setattr(seeds, name, fake)
    X, y = np.zeros((4, 784), np.float32), np.arange(4)
    rows = seeds.reproduce(quick=True, data=((X, y), (X, y)), log=lambda s: None)
    assert seen == [seeds.QUICK_N_TRAIN] * 4 + [None, None]   # goml x3, post 002; post 004 in full
    assert all(f"{seeds.QUICK_N_TRAIN // 1000}k" in row[2] for row in rows[:4])
    assert all("50k" in row[2] for row in rows[4:])
