"""Hyperparameter grids: one seeded training run per combination of settings (chapter 11).

    train = trainer(X, y, X_val, y_val, epochs=5)                    # a ready-made train_fn
    results = grid(train, hidden_size=[16, 64], learning_rate=[0.01, 0.1])
    rows, cols, acc = table(results, "val_accuracy", "hidden_size", "learning_rate")  # acc: (2, 2)

``grid`` runs the combinations in the order of nested for loops over the axes as given (the
first axis varies slowest), passes every run the same ``seed``, and returns a list of dicts:
the settings plus whatever ``train_fn`` returned. Same inputs, same seed: same list.

``trainer`` (and chapter 11's training panel, mlp.book.widgets) start each network the way
chapter 10 teaches: He's N(0, 2/n_in) for ReLU layers, N(0, 1/n_in) for sigmoid and tanh
(``init_for``).
"""
import itertools

import numpy as np

from ..network import MLP
from ..training import DivergenceError

#: Hidden activations that start from He's initialisation (chapter 10); the others from mlp's
#: default, N(0, 1/n_in), which suits sigmoid and tanh.
RECTIFIERS = ("relu", "leaky_relu")


def init_for(activation):
    """The weight initialisation chapter 10 teaches for a hidden activation (a name or an
    mlp.activations object): "he_normal" for ReLU and leaky ReLU, else "scaled_normal"."""
    name = activation if isinstance(activation, str) else getattr(activation, "name", "")
    return "he_normal" if name.lower() in RECTIFIERS else "scaled_normal"


def grid(train_fn, seed=0, catch=(DivergenceError,), **axes):
    """Call ``train_fn(seed=seed, **settings)`` for every combination of the ``axes`` values.

    train_fn  returns a dict of results (e.g. {"val_accuracy": 0.93}) or a single number
              (stored as {"score": number}).
    seed      given to every run, so runs differ only in their settings.
    catch     exceptions recorded instead of raised: the run's dict gets an "error" string
              (by default a diverged run, see mlp.training.DivergenceError).
    axes      name=list of values, e.g. learning_rate=[0.01, 0.1].
    Returns a list of len(product of axis lengths) dicts, in nested-loop order.
    """
    names = list(axes)
    if not names:
        raise ValueError("grid needs at least one axis, e.g. grid(f, learning_rate=[0.01, 0.1])")
    results = []
    for values in itertools.product(*(list(axes[n]) for n in names)):
        settings = dict(zip(names, values))
        try:
            out = train_fn(seed=seed, **settings)
        except catch as e:
            out = {"error": f"{type(e).__name__}: {e}"}
        results.append({**settings, **(out if isinstance(out, dict) else {"score": out})})
    return results


def table(results, value, rows, cols):
    """Arrange ``results[i][value]`` as a 2-D array indexed by two axes of the grid.

    Returns (row_values, col_values, array of shape (len(row_values), len(col_values))), the
    values in order of first appearance; a missing result (e.g. an error) is NaN.
    """
    row_values = list(dict.fromkeys(r[rows] for r in results))
    col_values = list(dict.fromkeys(r[cols] for r in results))
    array = np.full((len(row_values), len(col_values)), np.nan)
    for r in results:
        if r.get(value) is not None:
            array[row_values.index(r[rows]), col_values.index(r[cols])] = r[value]
    return row_values, col_values, array


def best(results, value, larger=True):
    """The result dict with the largest (or smallest) ``value``; errors and NaNs are skipped."""
    scored = [r for r in results if r.get(value) is not None and np.isfinite(r[value])]
    if not scored:
        raise ValueError(f"no result has a finite {value!r}")
    return (max if larger else min)(scored, key=lambda r: r[value])


def trainer(X, y, X_val=None, y_val=None, epochs=5, batch_size=32, hidden_size=32, n_layers=1,
            activation="relu", learning_rate=0.1, optimizer="sgd", measure=None, keep=False,
            init=None, **net_options):
    """A ``train_fn`` for ``grid``: builds and trains an MLP classifier, returns its figures.

    X: (N, n_in); y: (N,) integer labels. The returned function takes ``seed`` and any of
    epochs, batch_size, hidden_size, n_layers (hidden layers of hidden_size units), activation,
    learning_rate, optimizer as keywords, and returns {"loss", "accuracy"} of the last epoch
    (running averages over its batches), "train_accuracy" (the trained network on all of X) and,
    with validation data, {"val_loss", "val_accuracy"}; ``measure(net) -> dict`` adds its own
    figures of the trained network. With ``keep``, the result also holds the run's "history"
    (a dict of per-epoch lists) and the trained "net". ``init`` is the weight initialisation
    (default: ``init_for(activation)``, per run); ``net_options`` go to ``mlp.MLP`` (default:
    softmax output with cross-entropy).
    """
    defaults = dict(epochs=epochs, batch_size=batch_size, hidden_size=hidden_size,
                    n_layers=n_layers, activation=activation, learning_rate=learning_rate,
                    optimizer=optimizer)
    net_options = {"output": "softmax", "loss": "cross_entropy", **net_options}
    n_out = int(max(np.max(y), -1 if y_val is None else np.max(y_val))) + 1
    validation = None if X_val is None else (X_val, y_val)

    def train(seed=0, **settings):
        unknown = set(settings) - set(defaults)
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(defaults)}")
        s = {**defaults, **settings}
        sizes = [X.shape[1]] + [s["hidden_size"]] * s["n_layers"] + [n_out]
        net = MLP(sizes, activation=s["activation"], seed=seed,
                  init=init or init_for(s["activation"]), **net_options)
        history = net.fit(X, y, epochs=s["epochs"], batch_size=s["batch_size"],
                          optimizer=s["optimizer"], lr=s["learning_rate"],
                          validation_data=validation, seed=seed)
        keys = ("loss", "accuracy") + (("val_loss", "val_accuracy") if validation else ())
        out = {k: float(history[k][-1]) for k in keys}
        out["train_accuracy"] = net.accuracy(X, y)
        if keep:
            out.update(history={k: list(v) for k, v in history.items()}, net=net)
        return {**out, **(measure(net) if measure else {})}

    return train
