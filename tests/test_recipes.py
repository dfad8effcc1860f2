"""The recipes of mlp.book.recipes on a small scale: the augmented training path, the command line.
(The full recipes are trained by chapter 10 and measured in benchmarks/augment_search.md.)"""
import numpy as np
import pytest

import mlp
from mlp.book import recipes
from mlp.data import augment


def _small(n=256, seed=0):
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 28, 28), np.float32)
    y = rng.integers(0, 2, n)
    X[y == 0, 8:20, 10:13] = 1  # a vertical bar
    X[y == 1, 12:15, 8:20] = 1  # a horizontal bar
    return X.reshape(n, 784), y


def test_the_augmented_recipe_is_the_best_network_with_a_distortion():
    assert recipes.AUGMENTED["sizes"][0] == 784 and recipes.AUGMENTED["sizes"][-1] == 10
    d = augment.Distortion(**recipes.AUGMENTATION)
    X, _ = _small(4)
    assert d(X, np.random.default_rng(0)).shape == X.shape
    assert set(recipes.RECIPES) == {"best", "augmented"}
    assert recipes.RECIPES["best"][:3] == (recipes.BEST, recipes.TRAINING, None)


def test_augmented_training_path_runs_and_sees_distorted_inputs():
    """The recipe's own train() with its augmentation, on a tiny network and task."""
    X, y = _small()
    network = dict(recipes.AUGMENTED, sizes=[784, 16, 2])
    calls = []
    net, history = recipes.train(network, dict(recipes.AUGMENTED_TRAINING, batch_size=32),
                                 recipes.AUGMENTATION, X, y, validation_data=(X, y), epochs=2,
                                 callbacks=[lambda e, logs: calls.append(e)])
    assert calls == [1, 2] and len(history["val_accuracy"]) == 2
    assert history["val_accuracy"][-1] > 0.9
    plain, _ = recipes.train(network, dict(recipes.AUGMENTED_TRAINING, batch_size=32), None,
                             X, y, epochs=2)
    assert not np.array_equal(plain.layers[0].W, net.layers[0].W)  # augmentation changed it
    again, _ = recipes.train(network, dict(recipes.AUGMENTED_TRAINING, batch_size=32),
                             recipes.AUGMENTATION, X, y, validation_data=(X, y), epochs=2)
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), again.params()))


def test_train_best_is_train_with_the_best_settings():
    X, y = _small(64)
    a, _ = recipes.train_best(X, y, epochs=1)
    b, _ = recipes.train(recipes.BEST, recipes.TRAINING, None, X, y, epochs=1)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))


def test_schedules_and_optimizers_a_recipe_can_name():
    t = dict(learning_rate=0.1, decay=0.5)
    assert recipes._schedule(t, 10)(3) == pytest.approx(0.025)
    cosine = recipes._schedule(dict(t, schedule="cosine"), 4)
    assert [round(cosine(e), 4) for e in (1, 3)] == [0.1, 0.05]
    assert isinstance(recipes._optimizer(t), mlp.Adam)
    sgd = recipes._optimizer(dict(t, optimizer="momentum", momentum=0.8))
    assert isinstance(sgd, mlp.SGD) and sgd.momentum == 0.8


def test_command_line_parses_arguments(capsys):
    with pytest.raises(SystemExit):
        recipes.main(["--help"])
    assert "augmented" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        recipes.main(["nonsense"])
    assert "invalid choice" in capsys.readouterr().err


def test_command_line_trains_the_augmented_recipe_briefly(capsys):
    try:
        from mlp.data.mnist import MNIST, locate
        locate(MNIST, "train-images-idx3-ubyte", None, download=False)
    except Exception:
        pytest.skip("MNIST not available locally")
    recipes.main(["augmented", "--validation", "--limit", "512", "--epochs", "1"])
    out = capsys.readouterr().out
    assert "recipe augmented" in out and "elastic_alpha" in out
    assert "validation accuracy 0." in out and "after 1 epochs on 512 images" in out


@pytest.mark.parametrize("name, cache_name", [("best", "best_mlp_v3"),
                                              ("augmented", "augmented_mlp_v3")])
def test_cached_recipes_never_evaluate_the_test_set(tmp_path, monkeypatch, name, cache_name):
    """Chapter 10 measures the test set once, on the finished network: training the cached
    models looks only at the training images."""
    monkeypatch.setenv("MLP_CACHE_DIR", str(tmp_path))
    train, test = _small(64), _small(16, seed=1)
    monkeypatch.setattr(recipes, "load_mnist", lambda: (train, test))
    seen = {}

    def small_train(network, training, augmentation, X, y, validation_data=None, **kwargs):
        seen.update(X=X, validation_data=validation_data, augmentation=augmentation)
        net = mlp.MLP([784, 4, 10], output="softmax", loss="cross_entropy")
        return net, net.fit(X, y, lr=0.1, validation_data=validation_data)

    monkeypatch.setattr(recipes, "train", small_train)
    _, history = getattr(recipes, f"{name}_model")()
    assert seen["validation_data"] is None and seen["X"] is train[0]
    assert seen["augmentation"] == recipes.RECIPES[name][2]
    assert all(v is None for v in history["val_accuracy"])
    assert (tmp_path / "models" / f"{cache_name}.npz").exists()


def test_the_recipe_search_starts_from_the_recipe():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import recipe_search
    finally:
        sys.path.pop(0)
    network, training = recipe_search.recipe()
    assert dict(network, seed=recipes.BEST["seed"]) == recipes.BEST
    assert training == recipes.TRAINING
    for name in recipe_search.configs():
        net, train, seed = recipe_search.settings(name)
        changed = [k for k in net if net[k] != network[k]] + \
            [k for k in train if train[k] != training[k]] + (["seed"] if seed else [])
        assert len(changed) == 1, (name, changed)
        assert recipe_search.describe(dict(network=net, training=train))
