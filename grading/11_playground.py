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
winner_ex = Exercise("ch11-ex-winner", points=1)


@winner_ex.hidden
def best_cell_of_the_sweep(best_setting, results):
    "the (hidden size, learning rate) with the best validation accuracy"
    best = max(results, key=lambda r: r["val_accuracy"])
    check(tuple(best_setting) if isinstance(best_setting, (list, tuple)) else best_setting,
          (best["hidden_size"], best["learning_rate"]), name="best_setting")


winner_ex.wrong("the worst cell", "best_setting = (sizes[np.argmin(val_acc) // len(rates)], "
                "rates[np.argmin(val_acc) % len(rates)])")
winner_ex.wrong("the flat index, not a setting", "best_setting = (int(np.argmax(val_acc)), 0)")
winner_ex.wrong("the (row, column) index instead of the values",
                "best_setting = tuple(int(k) for k in np.unravel_index(np.argmax(val_acc), "
                "np.shape(val_acc)))")

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
