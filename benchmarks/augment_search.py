"""The validation runs that chose the augmented recipe (mlp.book.recipes.AUGMENTED*; ch. 10).

    python benchmarks/augment_search.py --list          # the configurations
    python benchmarks/augment_search.py base shift2     # run some (or all, with no names)
    python benchmarks/augment_search.py --table         # rewrite the table from the results

Every run trains on the first 50000 MNIST training images and measures accuracy on the last
10000 (the validation split of chapter 8) after every epoch; the test set is never touched.
Each result is appended to ``augment_search.json`` (one record per run: settings, the
validation accuracy per epoch, seconds per epoch, BLAS threads, seed) and the table
``augment_search.md`` is rewritten from all records. Training times are wall-clock seconds on
a shared machine: compare them within one session, and measure the chosen recipe on an idle
machine (``benchmarks/bench_recipe.py``).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS, TABLE = HERE / "augment_search.json", HERE / "augment_search.md"

NET = dict(sizes=[784, 800, 800, 10], activation="relu", output="softmax", loss="cross_entropy",
           init="he_normal", dropout=0.3)
TRAIN = dict(epochs=15, batch_size=128, learning_rate=1e-3, decay=0.8)
SHIFT2 = dict(max_shift=2, whole_pixels=True)
AFFINE = dict(max_shift=2, rotation=10, scale=0.1)
ELASTIC = dict(AFFINE, elastic_alpha=34, elastic_sigma=5)


def config(network=None, training=None, augmentation=None):
    return dict(network=dict(NET, **(network or {})), training=dict(TRAIN, **(training or {})),
                augmentation=augmentation)


CONFIGS = {
    # what augmentation buys with the chapter-10 recipe unchanged (15 epochs)
    "base": config(),
    "shift2": config(augmentation=SHIFT2),
    "affine": config(augmentation=AFFINE),
    "elastic": config(augmentation=ELASTIC),
    # augmentation regularises: more epochs, slower decay, less dropout
    "elastic-e25": config(training=dict(epochs=25, decay=0.87), augmentation=ELASTIC),
    "elastic-e25-d0.2": config(dict(dropout=0.2), dict(epochs=25, decay=0.87), ELASTIC),
    "elastic-e25-d0.1": config(dict(dropout=0.1), dict(epochs=25, decay=0.87), ELASTIC),
    "elastic-e25-d0": config(dict(dropout=0.0), dict(epochs=25, decay=0.87), ELASTIC),
    # the recipe's 20 epochs (chapter 10's time budget), other seeds (--seed)
    "elastic-e20-d0": config(dict(dropout=0.0), dict(epochs=20, decay=0.87), ELASTIC),
    "affine-e25-d0.2": config(dict(dropout=0.2), dict(epochs=25, decay=0.87), AFFINE),
    "shift2-e25-d0.2": config(dict(dropout=0.2), dict(epochs=25, decay=0.87), SHIFT2),
}


def run(name, cfg, seed=0):
    import numpy as np
    from mlp.book import recipes
    from mlp.data import load_mnist, train_validation_split
    (X, y), _ = load_mnist()
    (X, y), (X_val, y_val) = train_validation_split(X, y, 10000)
    print(f"== {name}: {cfg}", flush=True)
    cpu = time.process_time()
    net, history = recipes.train(cfg["network"], cfg["training"], cfg["augmentation"], X, y,
                                 validation_data=(X_val, y_val), seed=seed, progress=True)
    return dict(name=name, seed=seed, **cfg, val_accuracy=history["val_accuracy"],
                seconds=history["seconds"], cpu_seconds=time.process_time() - cpu,
                threads=os.environ.get("OPENBLAS_NUM_THREADS"), load=os.getloadavg()[0],
                numpy=np.__version__)


def load_results():
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else []


def describe(cfg):
    """Short text for the table: what differs from the chapter-10 recipe."""
    parts = [f"{k}={v}" for k, v in cfg["network"].items() if NET.get(k) != v]
    parts += [f"{k}={v}" for k, v in cfg["training"].items() if TRAIN.get(k) != v]
    aug = cfg["augmentation"]
    if not aug:
        parts.append("no augmentation")
    else:
        parts.append("aug " + ", ".join(f"{k}={v}" for k, v in aug.items()))
    return "; ".join(parts)


def write_table(results):
    lines = ["# Validation runs for the augmented recipe", "",
             "Written by `benchmarks/augment_search.py` from `augment_search.json`. Each run "
             "trains on the first 50000 MNIST training images and measures accuracy on the last "
             "10000 after every epoch (validation: the test set is never used to choose). "
             f"Baseline, chapter 10's recipe: network {NET}, training {TRAIN}; each row lists "
             "what it changes. Augmentation: max_shift pixels, rotation degrees, scale "
             "fraction, elastic alpha and sigma pixels (mlp.data.augment.Distortion). Time: the "
             "run's wall-clock seconds of training (the validation after each epoch included) "
             "on the shared 2-core machine, with its BLAS threads and the 1-minute load average "
             "when it ended: with other work running, these vary by a factor of several. The "
             "CPU seconds of a 1-thread run hardly depend on that load: they compare the cost "
             "of settings. Only the measurements of the chosen recipe on an idle machine "
             "(bench_recipe.py) are timings.", "",
             "| run | differs from chapter 10's recipe | seed | epochs | final val acc | best val "
             "acc (epoch) | train s | s/epoch | CPU s | threads | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        acc, sec = r["val_accuracy"], r["seconds"]
        best = max(range(len(acc)), key=acc.__getitem__)
        cpu = f"{r['cpu_seconds']:.0f}" if "cpu_seconds" in r else "—"
        lines.append(f"| {r['name']} | {describe(r)} | {r['seed']} | {len(acc)} | "
                     f"{100 * acc[-1]:.2f}% | {100 * acc[best]:.2f}% ({best + 1}) | "
                     f"{sum(sec):.0f} | {sum(sec) / len(sec):.2f} | {cpu} | {r['threads']} | "
                     f"{r['load']:.1f} |")
    TABLE.write_text("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="configurations to run (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--table", action="store_true", help="only rewrite the table")
    args = parser.parse_args(argv)
    if args.list:
        for name, cfg in CONFIGS.items():
            print(f"{name:24s} {describe(cfg)}")
        return
    unknown = [n for n in args.names if n not in CONFIGS]
    if unknown:
        sys.exit(f"unknown configuration(s) {unknown}; --list shows them")
    for name in [] if args.table else (args.names or CONFIGS):
        result = run(name, CONFIGS[name], args.seed)
        results = load_results() + [result]
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")
        write_table(results)
    write_table(load_results())


if __name__ == "__main__":
    main()
