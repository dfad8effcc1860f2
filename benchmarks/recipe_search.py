"""The validation runs behind the settings of the chapter-10 recipe (mlp.book.recipes).

    python benchmarks/recipe_search.py --list              # the configurations
    python benchmarks/recipe_search.py base dropout-0.5    # run some (or all, with no names)
    python benchmarks/recipe_search.py --table             # rewrite the table from the results

Each configuration is the recipe (``recipes.BEST`` and ``recipes.TRAINING``) with ONE setting
changed: the dropout rate, the learning-rate decay per epoch, the batch size, the seed (to
measure how far a single run moves), and the base run continued past the recipe's 15 epochs
(the first 15 epochs of a longer run are exactly the 15-epoch run: the schedule depends on the
epoch only). Every run trains on the first 50000 MNIST training images and measures accuracy
on the last 10000 (the validation split of chapter 8) after every epoch; the test set is never
touched. Each result is appended to ``recipe_search.json`` (settings, validation accuracy and
loss per epoch, seconds per epoch, the BLAS line, the load average) and the table
``recipe_search.md`` is rewritten from all records. Training takes two to four minutes per run
on two idle cores (longer on a busy machine, and with one BLAS thread, the default here so
that runs are comparable with each other whatever else the machine does).
"""
import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS, TABLE = HERE / "recipe_search.json", HERE / "recipe_search.md"


def recipe():
    """(network, training) of the recipe as mlp.book.recipes defines it, without the seed."""
    from mlp.book import recipes
    network = {k: v for k, v in recipes.BEST.items() if k != "seed"}
    return network, dict(recipes.TRAINING)


def configs():
    """name -> (network changes, training changes, seed): one setting changed per run."""
    return {
        "base": ({}, {"epochs": 20}, 0),
        "seed-1": ({}, {}, 1),
        "seed-2": ({}, {}, 2),
        "dropout-0": ({"dropout": 0.0}, {}, 0),
        "dropout-0.2": ({"dropout": 0.2}, {}, 0),
        "dropout-0.5": ({"dropout": 0.5}, {}, 0),
        "decay-0.7": ({}, {"decay": 0.7}, 0),
        "decay-0.9": ({}, {"decay": 0.9}, 0),
        "decay-1": ({}, {"decay": 1.0}, 0),
        "batch-64": ({}, {"batch_size": 64}, 0),
        "batch-256": ({}, {"batch_size": 256}, 0),
    }


def settings(name):
    """(network, training, seed) of configuration ``name``."""
    network, training = recipe()
    net_changes, train_changes, seed = configs()[name]
    return dict(network, **net_changes), dict(training, **train_changes), seed


def train(network, training, seed, X, y, validation_data):
    """Train exactly as the recipe is trained (``recipes.train``, no augmentation)."""
    from mlp.book import recipes
    _, history = recipes.train(network, training, None, X, y, validation_data=validation_data,
                               seed=seed, progress=True)
    return history


def run(name):
    import numpy as np
    from mlp.book import blas
    from mlp.data import load_mnist, train_validation_split
    network, training, seed = settings(name)
    (X, y), _ = load_mnist()
    (X, y), (X_val, y_val) = train_validation_split(X, y, 10000)
    print(f"== {name}: network {network}, training {training}, seed {seed}", flush=True)
    history = train(network, training, seed, X, y, (X_val, y_val))
    return dict(name=name, seed=seed, network=network, training=training,
                val_accuracy=history["val_accuracy"], val_loss=history["val_loss"],
                seconds=history["seconds"], blas=blas.describe(), load=os.getloadavg()[0],
                numpy=np.__version__)


def load_results():
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else []


def describe(record):
    """What differs from the recipe, e.g. 'dropout 0.5' (or 'the recipe')."""
    network, training = recipe()
    parts = [f"{k} {v}" for k, v in record["network"].items() if network.get(k) != v]
    parts += [f"{k} {v}" for k, v in record["training"].items() if training.get(k) != v]
    return ", ".join(parts) or "the recipe"


def write_table(results):
    network, training = recipe()
    lines = ["# Validation runs behind the chapter-10 recipe", "",
             "Written by `benchmarks/recipe_search.py` from `recipe_search.json`. The recipe "
             f"(network {network}, training {training}) with one setting changed per run, "
             "trained on the first 50000 MNIST training images; accuracy on the last 10000 "
             "(validation) after every epoch; the test set is never used. Seconds: wall-clock "
             "training time on a shared machine (validation after each epoch included), with "
             "the 1-minute load average when the run finished.", "",
             "| run | differs from the recipe | seed | epochs | val acc after 15 epochs | "
             "final val acc | best val acc (epoch) | train s | BLAS | load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        acc = r["val_accuracy"]
        best = max(range(len(acc)), key=acc.__getitem__)
        at15 = f"{100 * acc[14]:.2f}%" if len(acc) >= 15 else "-"
        lines.append(f"| {r['name']} | {describe(r)} | {r['seed']} | {len(acc)} | {at15} | "
                     f"{100 * acc[-1]:.2f}% | {100 * acc[best]:.2f}% ({best + 1}) | "
                     f"{sum(r['seconds']):.0f} | {r['blas'].removeprefix('BLAS: ')} | "
                     f"{r['load']:.1f} |")
    TABLE.write_text("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="configurations to run (default: all)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    parser.add_argument("--list", action="store_true", help="list the configurations")
    parser.add_argument("--table", action="store_true", help="only rewrite the table")
    args = parser.parse_args(argv)
    if args.list:
        for name in configs():
            network, training, seed = settings(name)
            print(f"{name:12s} {describe(dict(network=network, training=training))}, seed {seed}")
        return 0
    unknown = [n for n in args.names if n not in configs()]
    if unknown:
        sys.exit(f"unknown configuration(s) {unknown}; --list shows them")
    from mlp.book import blas
    blas.pin_threads(args.threads)
    for name in [] if args.table else (args.names or list(configs())):
        results = load_results() + [run(name)]
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")
        write_table(results)
    write_table(load_results())
    return 0


if __name__ == "__main__":
    sys.exit(main())
