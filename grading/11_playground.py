"""Chapter 11 (the playground): hidden tests, points and wrong answers of its exercises.

Two answers are read off the chapter's own runs (its sweep ``results`` and the measured
``noise``), so the hidden tests recompute them from those, not from the notebook's helpers.
"""
import numpy as np

from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch11-ex-steps --------------------------------------------------------------------------
steps_ex = Exercise("ch11-ex-steps", points=1)


@steps_ex.hidden
def batches_per_epoch(steps_per_epoch):
    "steps_per_epoch(n, batch_size) on other sizes: exact multiples, one example, n < batch"
    r = hidden_rng(SEED, "steps")
    cases = [(int(r.integers(1, 20000)), int(b)) for b in r.choice([1, 7, 32, 100, 256], 5)]
    cases += [(4096, 64), (3, 5), (1, 1)]
    check_true(all(isinstance(steps_per_epoch(n, b), (int, np.integer)) for n, b in cases),
               "steps_per_epoch should return an int (a whole number of steps).")
    check_function(steps_per_epoch, lambda n, b: len(range(0, n, b)), cases, name="steps_per_epoch")


steps_ex.wrong("the last, smaller batch forgotten",
               "def steps_per_epoch(n, batch_size):\n    return n // batch_size")
steps_ex.wrong("a fraction of a step", "def steps_per_epoch(n, batch_size):\n    return n / batch_size")
steps_ex.wrong("one step too many when n is a multiple",
               "def steps_per_epoch(n, batch_size):\n    return n // batch_size + 1")
steps_ex.wrong("returns the batch size", "def steps_per_epoch(n, batch_size):\n    return batch_size")

# ---- ch11-ex-winner -------------------------------------------------------------------------
winner_ex = Exercise("ch11-ex-winner", points=2)


def best_cell_reference(values, sizes, rates, larger=True):
    """The (size, rate) of the largest (smallest) non-NaN entry, the first in row order on ties."""
    best = None
    for i, j in np.ndindex(values.shape):
        v = values[i, j]
        if np.isfinite(v) and (best is None or (v > best[0] if larger else v < best[0])):
            best = (v, sizes[i], rates[j])
    return best[1], best[2]


@winner_ex.hidden
def other_tables(best_cell):
    "tables of other shapes: one row, one column, ties, NaNs, the smallest entry"
    r = hidden_rng(SEED, "winner")
    cases = []
    for shape in [(1, 6), (7, 1), (5, 3), (2, 9)]:
        values = r.random(shape)
        values[r.random(shape) < 0.2] = np.nan
        values.flat[int(r.integers(values.size))] = 0.5
        cases.append((values, list(range(100, 100 + shape[0])), list(np.round(r.random(shape[1]), 4))))
    ties = np.array([[0.3, 0.9, 0.1], [0.9, 0.1, 0.9]])   # max and min both tied
    cases += [(ties, [8, 16], [0.5, 0.05, 0.005]), (ties, [8, 16], [0.5, 0.05, 0.005], False)]
    cases += [(v, s, c, False) for v, s, c in cases[:4]]
    check_function(best_cell, best_cell_reference, cases, name="best_cell")


@winner_ex.hidden
def lowest_validation_loss(loss_winner, results):
    "the (hidden size, learning rate) of the grid's lowest validation loss"
    scored = [r for r in results if r.get("val_loss") is not None and np.isfinite(r["val_loss"])]
    best = min(scored, key=lambda r: r["val_loss"])
    check(tuple(loss_winner) if isinstance(loss_winner, (list, tuple)) else loss_winner,
          (best["hidden_size"], best["learning_rate"]), name="loss_winner")


_TABLE = '\nval_loss = sweep.table(results, "val_loss", "hidden_size", "learning_rate")[2]\n'
winner_ex.wrong("row and column found with the number of rows",
                "def best_cell(values, sizes, rates, larger=True):\n"
                "    values = np.asarray(values, dtype=float)\n"
                "    k = np.nanargmax(values) if larger else np.nanargmin(values)\n"
                "    return sizes[k // len(sizes)], rates[k % len(sizes)]\n"
                + _TABLE + "loss_winner = best_cell(val_loss, sizes, rates, larger=False)",
                score=1)  # right on the page's square grid
winner_ex.wrong("NaN entries not skipped", "def best_cell(values, sizes, rates, larger=True):\n"
                "    values = np.asarray(values, dtype=float)\n"
                "    k = np.argmax(values) if larger else np.argmin(values)\n"
                "    i, j = np.unravel_index(k, values.shape)\n    return sizes[i], rates[j]\n"
                + _TABLE + "loss_winner = best_cell(val_loss, sizes, rates, larger=False)",
                score=1)  # right while no run of the grid diverged
winner_ex.wrong("the (row, column) index instead of the values",
                "def best_cell(values, sizes, rates, larger=True):\n"
                "    values = np.asarray(values, dtype=float)\n"
                "    k = np.nanargmax(values) if larger else np.nanargmin(values)\n"
                "    return tuple(int(i) for i in np.unravel_index(k, values.shape))\n"
                + _TABLE + "loss_winner = best_cell(val_loss, sizes, rates, larger=False)")
winner_ex.wrong("the largest validation loss, not the smallest", "def best_cell(values, sizes, rates, larger=True):\n"
                "    values = np.asarray(values, dtype=float)\n"
                "    k = np.nanargmax(values) if larger else np.nanargmin(values)\n"
                "    i, j = np.unravel_index(k, values.shape)\n    return sizes[i], rates[j]\n"
                + _TABLE + "loss_winner = best_cell(val_loss, sizes, rates)", score=1)

# ---- ch11-ex-per-sample ---------------------------------------------------------------------
per_sample = Exercise("ch11-ex-per-sample", points=1)


@per_sample.hidden
def batch_rate(eta_batch):
    "the batch-32 rate equivalent to per-example steps of 0.01"
    check(eta_batch, 0.32, name="eta_batch", rtol=1e-9)


per_sample.wrong("divided by B instead of multiplied", "eta_batch = 0.01 / 32")
per_sample.wrong("the same rate", "eta_batch = 0.01")
per_sample.wrong("sqrt(B) scaling", "eta_batch = 0.01 * np.sqrt(32)")

# ---- ch11-ex-noise --------------------------------------------------------------------------
noise_ex = Exercise("ch11-ex-noise", points=2)


@noise_ex.hidden
def log_log_slope(p, noise, noise_sizes):
    "the least-squares slope of log(error) against log(B), near -1/2"
    slope = np.polyfit(np.log(np.asarray(noise_sizes, float)), np.log(np.asarray(noise, float)), 1)[0]
    check(p, slope, name="p", rtol=1e-6)
    check_true(abs(p + 0.5) < 0.05, f"p = {p:.3f} is far from -1/2")


noise_ex.wrong("no logarithms", "p = np.polyfit(noise_sizes, noise, 1)[0]")
noise_ex.wrong("the intercept, not the slope", "p = np.polyfit(np.log(noise_sizes), np.log(noise), 1)[1]")
noise_ex.wrong("the axes swapped", "p = np.polyfit(np.log(noise), np.log(noise_sizes), 1)[0]")

# ---- ch11-ex-scaling ------------------------------------------------------------------------
scaling = Exercise("ch11-ex-scaling", points=2)


@scaling.hidden
def linear_rate(eta_128):
    "the linear scaling rule from batch 32 at 0.1 to batch 128"
    check(eta_128, 0.4, name="eta_128", rtol=1e-9)


@scaling.hidden
def the_run(run_128, train, eta_128):
    "run_128 is the ten-epoch run at batch 128 with eta_128"
    check_true(isinstance(run_128, dict) and "history" in run_128,
               "run_128 should be what train(...) returns.")
    reference = train(batch_size=128, learning_rate=0.4)
    check(run_128["history"]["val_accuracy"], reference["history"]["val_accuracy"],
          name="run_128's validation accuracies", rtol=1e-6)


scaling.wrong("the rate not scaled", "eta_128 = 0.1\nrun_128 = train(batch_size=128, learning_rate=eta_128)")
scaling.wrong("square-root scaling", "eta_128 = 0.1 * np.sqrt(128 / 32)\n"
              "run_128 = train(batch_size=128, learning_rate=eta_128)")
scaling.wrong("the rate divided by k", "eta_128 = 0.1 / 4\nrun_128 = train(batch_size=128, learning_rate=eta_128)")
scaling.wrong("trained at batch 32", "eta_128 = 0.1 * 128 / 32\nrun_128 = train(learning_rate=eta_128)",
              score=1)
scaling.wrong("no new run", "eta_128 = 0.1 * 128 / 32\nrun_128 = run", score=1)
