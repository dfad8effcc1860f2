"""The recipe's cached model is trained without looking at the test set (chapter 10 measures the
test set once, on the finished network), and the recipe search starts from the recipe itself."""
import sys
from pathlib import Path

import numpy as np

from mlp.book import recipes

ROOT = Path(__file__).resolve().parents[1]


def test_best_model_never_evaluates_the_test_set(tmp_path, monkeypatch):
    monkeypatch.setenv("MLP_CACHE_DIR", str(tmp_path))
    rng = np.random.default_rng(0)
    train = (rng.random((64, 784), dtype=np.float32), rng.integers(0, 10, 64))
    test = (rng.random((16, 784), dtype=np.float32), rng.integers(0, 10, 16))
    monkeypatch.setattr(recipes, "load_mnist", lambda: (train, test))
    seen = {}

    def fake_train_best(X, y, validation_data=None, **kwargs):
        seen["validation_data"] = validation_data
        seen["X"] = X
        net = recipes.MLP([784, 4, 10], output="softmax", loss="cross_entropy")
        return net, net.fit(X, y, lr=0.1)

    monkeypatch.setattr(recipes, "train_best", fake_train_best)
    net, history = recipes.best_model()
    assert seen["validation_data"] is None and seen["X"] is train[0]
    assert all(v is None for v in history["val_accuracy"])
    assert (tmp_path / "models" / "best_mlp_v3.npz").exists()


def test_the_recipe_search_starts_from_the_recipe():
    sys.path.insert(0, str(ROOT / "benchmarks"))
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
        assert len(changed) == 1 or name == "base" and changed == ["epochs"], (name, changed)
        assert recipe_search.describe(dict(network=net, training=train)) != ""
