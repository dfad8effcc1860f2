"""mlp.book.sweep: seeded hyperparameter grids (chapter 11)."""
import numpy as np
import pytest

import mlp
from mlp.book import sweep
from mlp.data.toy import make_moons


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(300, noise=0.15, seed=0)
    Xv, yv = make_moons(200, noise=0.15, seed=1)
    return X, y, Xv, yv


def moon_grid(moons):
    train = sweep.trainer(*moons, epochs=30, batch_size=16, activation="tanh")
    return sweep.grid(train, seed=3, hidden_size=[2, 16], learning_rate=[1e-4, 1.0])


@pytest.fixture(scope="module")
def results(moons):
    return moon_grid(moons)


def test_grid_runs_every_combination_in_nested_loop_order(results):
    assert [(r["hidden_size"], r["learning_rate"]) for r in results] == [
        (2, 1e-4), (2, 1.0), (16, 1e-4), (16, 1.0)]
    for r in results:
        assert set(r) == {"hidden_size", "learning_rate", "loss", "accuracy", "train_accuracy",
                          "val_loss", "val_accuracy"}
        assert 0 <= r["val_accuracy"] <= 1


def test_grid_is_deterministic(moons, results):
    assert moon_grid(moons) == results


def test_a_tiny_learning_rate_scores_lower_than_a_good_one(results):
    rows, cols, acc = sweep.table(results, "val_accuracy", "hidden_size",
                                  "learning_rate")
    assert rows == [2, 16] and cols == [1e-4, 1.0] and acc.shape == (2, 2)
    assert acc[1, 1] > 0.95            # 16 tanh units separate the moons
    assert acc[1, 0] < acc[1, 1] - 0.3  # 30 epochs at 1e-4 barely move the weights
    assert acc[0, 1] < acc[1, 1]        # 2 units are too few for the moons' curved boundary
    assert sweep.best(results, "val_accuracy") == results[3]


def test_seed_is_passed_and_changes_the_result(moons):
    train = sweep.trainer(*moons, epochs=3, hidden_size=8, learning_rate=0.1)
    a, b = (sweep.grid(train, seed=s, batch_size=[32]) for s in (0, 1))
    assert a[0]["loss"] != b[0]["loss"]


def test_measure_adds_figures_of_the_trained_network(moons):
    X, y, Xv, yv = moons
    train = sweep.trainer(X, y, epochs=2, n_layers=2, hidden_size=5,
                          measure=lambda net: {"sizes": net.sizes, "acc": net.accuracy(X, y)})
    (r,) = sweep.grid(train, activation=["sigmoid"])
    assert r["sizes"] == [2, 5, 5, 2] and r["acc"] == r["train_accuracy"]
    assert "val_accuracy" not in r


def test_numbers_become_scores_and_errors_are_recorded():
    def train_fn(seed, x):
        if x > 1:
            raise mlp.DivergenceError("boom")
        return 10 * x + seed

    results = sweep.grid(train_fn, seed=2, x=[0, 1, 5])
    assert results[:2] == [{"x": 0, "score": 2}, {"x": 1, "score": 12}]
    assert results[2]["error"] == "DivergenceError: boom" and "score" not in results[2]
    rows, cols, scores = sweep.table(
        [dict(r, y="only") for r in results], "score", "x", "y")
    assert rows == [0, 1, 5] and cols == ["only"]
    np.testing.assert_array_equal(scores[:, 0], [2, 12, np.nan])
    assert sweep.best(results, "score", larger=False)["x"] == 0


def test_other_exceptions_propagate_and_bad_arguments_are_explained(moons):
    def broken(seed, x):
        raise KeyError(x)

    with pytest.raises(KeyError):
        sweep.grid(broken, x=[1])
    with pytest.raises(ValueError, match="at least one axis"):
        sweep.grid(broken)
    with pytest.raises(TypeError, match="unknown setting"):
        sweep.grid(sweep.trainer(*moons), hidden_units=[4])
    with pytest.raises(ValueError, match="finite"):
        sweep.best([{"error": "x"}], "val_accuracy")


def test_rectifiers_start_from_he_and_the_others_from_one_over_sqrt_n_in(moons):
    assert sweep.init_for("relu") == sweep.init_for("leaky_relu") == "he_normal"
    assert sweep.init_for(mlp.activations.ReLU()) == "he_normal"
    assert sweep.init_for("sigmoid") == sweep.init_for("tanh") == "scaled_normal"
    X, y, Xv, yv = moons
    train = sweep.trainer(X, y, Xv, yv, epochs=1, hidden_size=4, keep=True)
    relu, tanh = sweep.grid(train, activation=["relu", "tanh"])
    assert relu["net"].config["init"] == "he_normal"
    assert tanh["net"].config["init"] == "scaled_normal"
    # He's N(0, 2/n_in) before training: the same first weights as mlp.init.he_normal draws
    fresh = mlp.MLP([2, 4, 2], activation="relu", init="he_normal", seed=0)
    again = sweep.trainer(X, y, epochs=1, hidden_size=4, learning_rate=0.0, keep=True)(seed=0)
    np.testing.assert_array_equal(again["net"].layers[0].W, fresh.layers[0].W)
    chosen = sweep.trainer(X, y, epochs=1, hidden_size=4, init="standard_normal", keep=True)
    assert chosen(seed=0)["net"].config["init"] == "standard_normal"


def test_keep_returns_the_history_and_the_trained_network(moons):
    X, y, Xv, yv = moons
    r = sweep.trainer(X, y, Xv, yv, epochs=3, hidden_size=5, keep=True)(seed=1)
    assert set(r) == {"loss", "accuracy", "train_accuracy", "val_loss", "val_accuracy",
                      "history", "net"}
    h = r["history"]
    assert h["epoch"] == [1, 2, 3] and len(h["val_accuracy"]) == 3
    assert h["val_accuracy"][-1] == r["val_accuracy"] and h["loss"][-1] == r["loss"]
    assert r["net"].accuracy(X, y) == r["train_accuracy"] and r["net"].sizes == [2, 5, 2]
