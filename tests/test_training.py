"""The training loop, optimizers and the perceptron, on small real tasks."""
import numpy as np
import pytest

import mlp

X_BOOL = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)


def _blobs(n=200, seed=0):
    """Two Gaussian blobs, linearly separable: a task any working trainer solves."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)
    return X.astype(np.float32), y


@pytest.mark.parametrize("optimizer", [mlp.SGD(0.5), mlp.SGD(0.1, momentum=0.9), mlp.Adam(0.05)])
def test_optimizers_train_a_classifier(optimizer):
    X, y = _blobs()
    net = mlp.MLP([2, 8, 2], activation="tanh", output="softmax", loss="cross_entropy")
    history = net.fit(X, y, epochs=30, batch_size=16, optimizer=optimizer)
    assert history["loss"][-1] < 0.2 * history["loss"][0]
    assert net.accuracy(X, y) >= 0.98


def test_history_records_every_epoch_and_validation():
    X, y = _blobs()
    net = mlp.MLP([2, 4, 2], activation="relu", output="softmax", loss="cross_entropy")
    h = net.fit(X, y, epochs=3, batch_size=32, lr=0.1, validation_data=(X[:50], y[:50]))
    assert h["epoch"] == [1, 2, 3]
    assert len(h["val_accuracy"]) == 3 and all(0 <= a <= 1 for a in h["val_accuracy"])
    assert all(s > 0 for s in h["seconds"])
    assert h.last()["epoch"] == 3


def test_per_sample_sgd_matches_a_hand_written_loop():
    """batch_size=1, no shuffling: exactly the goml post's per-example updates."""
    X, y = _blobs(20)
    net = mlp.MLP([2, 3, 1], activation="sigmoid", output="sigmoid", loss="mse", seed=1,
                  dtype=np.float64)
    twin = net.copy()
    net.fit(X, y, epochs=2, batch_size=1, lr=0.5, shuffle=False)
    for _ in range(2):
        for x, t in zip(X, y):
            grads = twin.gradients(x[None], [t])
            for layer, (dW, db) in zip(twin.layers, grads):
                layer.W -= 0.5 * dW
                layer.b -= 0.5 * db
    for p, q in zip(net.params(), twin.params()):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_training_is_bit_identical_for_the_same_seed():
    X, y = _blobs()
    nets = [mlp.MLP([2, 6, 2], activation="relu", output="softmax", loss="cross_entropy",
                    dropout=0.2, seed=5) for _ in range(2)]
    for net in nets:
        net.fit(X, y, epochs=3, batch_size=10, optimizer=mlp.Adam(0.01))
    assert all(np.array_equal(p, q) for p, q in zip(nets[0].params(), nets[1].params()))


def test_divergence_raises_with_epoch_step_and_hint():
    X, y = _blobs()
    net = mlp.MLP([2, 16, 1], activation="relu", output="identity", loss="mse")
    with pytest.raises(mlp.DivergenceError, match=r"epoch 1, step \d+.*learning rate \(1e\+06\)"):
        net.fit(X * 100, y, epochs=5, batch_size=8, lr=1e6)


def test_fit_argument_errors():
    X, y = _blobs(10)
    net = mlp.MLP([2, 1])
    with pytest.raises(ValueError, match="needs a learning rate"):
        net.fit(X, y)
    with pytest.raises(ValueError, match="batch_size must be a whole number"):
        net.fit(X, y, lr=0.1, batch_size=0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        net.fit(X, y, optimizer="rmsprop")


def test_l2_shrinks_the_weights():
    X, y = _blobs()
    norms = []
    for l2 in (0.0, 0.05):
        net = mlp.MLP([2, 16, 2], activation="tanh", output="softmax", loss="cross_entropy")
        net.fit(X, y, epochs=20, batch_size=20, lr=0.5, l2=l2)
        norms.append(sum(float((l.W ** 2).sum()) for l in net.layers))
    assert norms[1] < 0.5 * norms[0]


def test_early_stopping_restores_the_best_epoch_and_checkpoints(tmp_path):
    X, y = _blobs(300, seed=2)
    y_noisy = y.copy()
    y_noisy[:120] = 1 - y_noisy[:120]  # label noise: the net overfits, validation gets worse
    net = mlp.MLP([2, 64, 2], activation="relu", output="softmax", loss="cross_entropy")
    h = net.fit(X[:150], y_noisy[:150], epochs=200, batch_size=10, optimizer=mlp.Adam(0.02),
                validation_data=(X[150:], y[150:]), early_stopping=5,
                checkpoint=tmp_path / "best.npz")
    assert h.stopped_early and len(h["epoch"]) < 200
    best = int(np.argmin(h["val_loss"]))
    assert h.best_epoch == best + 1
    assert net.loss(X[150:], y[150:]) == pytest.approx(h["val_loss"][best], rel=1e-5)
    saved = mlp.MLP.load(tmp_path / "best.npz")
    assert saved.loss(X[150:], y[150:]) == pytest.approx(h["val_loss"][best], rel=1e-5)


def test_a_callback_can_stop_training_and_a_schedule_sets_the_rate():
    X, y = _blobs(50)
    seen = []
    net = mlp.MLP([2, 2])
    h = net.fit(X, y, epochs=10, lr=0.1, schedule=mlp.exponential_decay(0.1, 0.5),
                callbacks=[lambda e, logs: seen.append(logs["learning_rate"]) or e < 3])
    assert h["epoch"] == [1, 2, 3] and h.stopped_early
    assert seen == [0.1, 0.05, 0.025]


def test_dropout_is_only_active_in_training():
    net = mlp.MLP([5, 50, 2], activation="sigmoid", dropout=0.5, seed=0)
    X = np.ones((4, 5))
    np.testing.assert_array_equal(net.forward(X), net.forward(X))
    a = net.layers[0].forward(X.astype(np.float32), train=True, rng=np.random.default_rng(0))
    assert 0.3 < (a == 0).mean() < 0.7


@pytest.mark.parametrize("name,target", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]),
                                         ("must", [0, 0, 1, 1])])
def test_perceptron_learns_separable_tables(name, target):
    p = mlp.Perceptron(2)
    mistakes = p.fit(X_BOOL, target, epochs=20)
    assert mistakes[-1] == 0
    np.testing.assert_array_equal(p.predict(X_BOOL), target)


def test_perceptron_never_converges_on_xor():
    p = mlp.Perceptron(2)
    mistakes = p.fit(X_BOOL, [0, 1, 1, 0], epochs=100)
    assert len(mistakes) == 100 and min(mistakes) > 0


def test_quasi_newton_training_reduces_the_loss():
    X, y = _blobs(100)
    for method in ("L-BFGS-B", "CG"):
        net = mlp.MLP([2, 4, 2], activation="tanh", output="softmax", loss="cross_entropy",
                      dtype=np.float64)
        before = net.loss(X, y)
        result, losses = mlp.quasinewton.minimize(net, X, y, method=method, max_iter=50)
        assert losses[-1] < 0.1 * before
        assert net.loss(X, y) == pytest.approx(result.fun)
