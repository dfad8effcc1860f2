"""Chapter 11 (the playground): hidden tests, points and wrong answers of its exercises.

Two answers are read off the chapter's own runs (its sweep ``results`` and the measured
``noise``), so the hidden tests recompute them from those, not from the notebook's helpers.
"""
import numpy as np

from mlp.book.exercises import check, check_true
from mlp.book.grading import Exercise

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch11-ex-steps --------------------------------------------------------------------------
steps_ex = Exercise("ch11-ex-steps", points=1)


@steps_ex.hidden
def batches_per_epoch(steps):
    "batches of at most 32 in 5,000 images, an int"
    check_true(isinstance(steps, (int, np.integer)), "steps should be an int (a whole number of steps).")
    check(steps, 157, name="steps")


steps_ex.wrong("the last, smaller batch forgotten", "steps = 5000 // 32")
steps_ex.wrong("a fraction of a step", "steps = 5000 / 32")
steps_ex.wrong("examples per step", "steps = 32")

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
