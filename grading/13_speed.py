"""Chapter 13 (speed): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.book.exercises import check, check_function
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here


def n_params(sizes):
    return sum(m * n + n for m, n in zip(sizes, sizes[1:]))


# ---- ch13-ex-flops --------------------------------------------------------------------------
flops = Exercise("ch13-ex-flops", points=2)


def reference_flops(sizes, n):
    p = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2 * n * (2 * sum(p) + sum(p[1:]))


@flops.hidden
def other_networks(epoch_flops):
    "random widths and depths, one layer, one example"
    r = hidden_rng(SEED, "flops")
    cases = [([int(w) for w in r.integers(2, 900, size=k)], int(r.integers(1, 70000)))
             for k in (2, 3, 5)] + [([10, 10], 1)]
    check_function(epoch_flops, reference_flops, cases, name="epoch_flops")


flops.wrong("dL/da counted for the first layer too", "def epoch_flops(sizes, n):\n"
            "    p = [a * b for a, b in zip(sizes[:-1], sizes[1:])]\n    return 2 * n * 3 * sum(p)")
flops.wrong("the forward pass only", "def epoch_flops(sizes, n):\n"
            "    return 2 * n * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))")
flops.wrong("multiply-adds, not FLOPs (no factor 2)", "def epoch_flops(sizes, n):\n"
            "    p = [a * b for a, b in zip(sizes[:-1], sizes[1:])]\n    return n * (2 * sum(p) + sum(p[1:]))")

# ---- ch13-ex-bytes --------------------------------------------------------------------------
bytes_ex = Exercise("ch13-ex-bytes", points=1)


@bytes_ex.hidden
def weights_and_training_memory(weight_bytes, training_bytes):
    "the bytes of 784-512-512-10 in float32, alone and with Adam"
    n = n_params([784, 512, 512, 10])
    check(weight_bytes, 4 * n, name="weight_bytes")
    check(training_bytes, 16 * n, name="training_bytes")


bytes_ex.wrong("float64 (8 bytes)", "n_params = 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10\n"
               "weight_bytes = 8 * n_params\ntraining_bytes = 4 * weight_bytes")
bytes_ex.wrong("the biases forgotten", "n_params = 784 * 512 + 512 * 512 + 512 * 10\n"
               "weight_bytes = 4 * n_params\ntraining_bytes = 4 * weight_bytes")
bytes_ex.wrong("Adam's two moments forgotten",
               "n_params = 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10\n"
               "weight_bytes = 4 * n_params\ntraining_bytes = 2 * weight_bytes")

# ---- ch13-ex-intensity ----------------------------------------------------------------------
intensity = Exercise("ch13-ex-intensity", points=1)


@intensity.hidden
def smallest_batch(b_min):
    "the smallest batch limited by arithmetic"
    check(b_min, 16, name="b_min")


intensity.wrong("FLOPs per byte inverted", "b_min = int(np.ceil(200e9 / 25e9 * 2 / 4))")
intensity.wrong("bandwidth over peak", "b_min = 25e9 / 200e9")
intensity.wrong("the factor 2 of a multiply-add forgotten", "b_min = int(np.ceil(200e9 / 25e9 * 4))")

# ---- ch13-ex-vectorise ----------------------------------------------------------------------
vectorise = Exercise("ch13-ex-vectorise", points=2)


@vectorise.hidden
def other_shapes(summed_outer):
    "other widths and batch sizes"
    r = hidden_rng(SEED, "outer")
    cases = [(r.normal(size=(n, i)), r.normal(size=(n, o))) for n, i, o in ((3, 1, 4), (20, 7, 2), (1, 3, 3))]
    check_function(summed_outer, lambda a, d: a.T @ d, cases, name="summed_outer")


vectorise.wrong("delta.T @ a (transposed)", "def summed_outer(a, delta):\n    return delta.T @ a")
vectorise.wrong("elementwise outer of the sums", "def summed_outer(a, delta):\n"
                "    return np.outer(a.sum(0), delta.sum(0))")
vectorise.wrong("only the first example", "def summed_outer(a, delta):\n    return np.outer(a[0], delta[0])")
