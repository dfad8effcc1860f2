"""Chapter 2 (activations): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.activations import softmax
from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here


def tanh_prime(z):
    return 1 - np.tanh(np.asarray(z, dtype=float)) ** 2


# ---- ch02-ex-sigmoid-prime-zero --------------------------------------------------------------
sigmoid_prime_zero = Exercise("ch02-ex-sigmoid-prime-zero", points=1)


@sigmoid_prime_zero.hidden
def the_value(sigmoid_prime_at_0):
    "sigma'(0), to many digits"
    check(sigmoid_prime_at_0, 0.25, name="sigmoid_prime_at_0", rtol=1e-9)


sigmoid_prime_zero.wrong("sigma(0), not its derivative", "sigmoid_prime_at_0 = 0.5")
sigmoid_prime_zero.wrong("the derivative of tanh at 0", "sigmoid_prime_at_0 = 1.0")
sigmoid_prime_zero.wrong("a function, not a number",
                         "def sigmoid_prime_at_0(z=0):\n    return 0.25")

# ---- ch02-ex-tanh-prime ---------------------------------------------------------------------
tanh_prime_ex = Exercise("ch02-ex-tanh-prime", points=2)


@tanh_prime_ex.hidden
def random_arrays(my_tanh_prime):
    "random inputs of several shapes"
    r = hidden_rng(SEED, "tanh-random")
    inputs = [r.uniform(-3, 3, size=(3, 4)), r.uniform(-3, 3, size=7), float(r.uniform(-2, 2))]
    check_function(my_tanh_prime, tanh_prime, inputs, name="my_tanh_prime")


@tanh_prime_ex.hidden
def saturating_inputs(my_tanh_prime):
    "where tanh saturates (3 < |z| < 12)"
    r = hidden_rng(SEED, "tanh-saturating")
    z = r.uniform(3, 12, size=(2, 5)) * r.choice([-1.0, 1.0], size=(2, 5))
    check_function(my_tanh_prime, tanh_prime, [z], name="my_tanh_prime", atol=1e-12)


tanh_prime_ex.wrong("tanh itself", "def my_tanh_prime(z):\n    return np.tanh(z)")
tanh_prime_ex.wrong("the sigmoid's formula", "def my_tanh_prime(z):\n"
                    "    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)")
tanh_prime_ex.wrong("1 - tanh, not squared", "def my_tanh_prime(z):\n    return 1 - np.tanh(z)")
tanh_prime_ex.wrong("tuned to the visible inputs (0 beyond |z| = 3.5)",
                    "def my_tanh_prime(z):\n    z = np.asarray(z, dtype=float)\n"
                    "    return np.where(np.abs(z) > 3.5, 0.0, 1 - np.tanh(z) ** 2)",
                    score=1, tuned=True)

# ---- ch02-ex-stable-softmax -----------------------------------------------------------------
stable_softmax = Exercise("ch02-ex-stable-softmax", points=2)


@stable_softmax.hidden
def huge_scores(my_softmax):
    "huge positive and negative scores"
    r = hidden_rng(SEED, "softmax-huge")
    inputs = [r.uniform(500, 5000, size=6), -r.uniform(800, 2000, size=4),
              np.array([1e5, 1e5 - 1.0, -1e5])]
    check_function(my_softmax, softmax, inputs, name="my_softmax")


@stable_softmax.hidden
def ordinary_scores_far_from_zero(my_softmax):
    "ordinary spreads of scores around 1000, a single score, ties"
    r = hidden_rng(SEED, "softmax-ordinary")
    inputs = [r.normal(size=9) + 1000, np.array([r.normal() + 900]), np.full(5, 800 + r.normal())]
    check_function(my_softmax, softmax, inputs, name="my_softmax")


stable_softmax.wrong("the naive formula", "def my_softmax(z):\n    e = np.exp(z)\n"
                     "    return e / e.sum()")
stable_softmax.wrong("shift by the min", "def my_softmax(z):\n    e = np.exp(z - np.min(z))\n"
                     "    return e / e.sum()", score=1)
stable_softmax.wrong("no normalisation", "def my_softmax(z):\n    return np.exp(z - np.max(z))")
stable_softmax.wrong("a sigmoid per score", "def my_softmax(z):\n    return 1 / (1 + np.exp(-z))")

# ---- ch02-ex-softmax-shift ------------------------------------------------------------------
softmax_shift = Exercise("ch02-ex-softmax-shift", points=1)


@softmax_shift.hidden
def tiny_and_finite(largest_difference):
    "one finite number at rounding-error size"
    check_true(np.isscalar(largest_difference) and not isinstance(largest_difference, str)
               and np.isfinite(largest_difference) and 0 <= largest_difference < 1e-12,
               "largest_difference should be one number >= 0 at rounding-error size (below "
               "1e-12): the largest absolute difference over the five shifts.")


softmax_shift.wrong("the naive softmax overflows at c = 1000",
                    "z_shift = np.array([2.0, -1.0, 0.5])\n"
                    "naive = lambda z: np.exp(z) / np.exp(z).sum()\n"
                    "with np.errstate(all='ignore'):\n"
                    "    largest_difference = np.max([np.max(np.abs(naive(z_shift + c) - "
                    "naive(z_shift))) for c in (-100, -1, 3, 100, 1000)])")
softmax_shift.wrong("the differences of the scores, not the probabilities",
                    "z_shift = np.array([2.0, -1.0, 0.5])\n"
                    "largest_difference = max(np.max(np.abs((z_shift + c) - z_shift))"
                    " for c in (-100, -1, 3, 100, 1000))")
softmax_shift.wrong("all five differences, not the largest",
                    "z_shift = np.array([2.0, -1.0, 0.5])\n"
                    "largest_difference = np.array([np.max(np.abs(mlp.activations.softmax(z_shift + c)"
                    " - mlp.activations.softmax(z_shift))) for c in (-100, -1, 3, 100, 1000)])")

# ---- ch02-ex-sigmoid-max --------------------------------------------------------------------
sigmoid_max = Exercise("ch02-ex-sigmoid-max", points=2)


@sigmoid_max.hidden
def z_star_exactly(z_star):
    "where sigma' is largest"
    check(z_star, 0.0, name="z_star", atol=1e-9)


@sigmoid_max.hidden
def one_percent_point(z_one_percent):
    "where sigma' falls to 1% of its maximum, to 4 digits"
    exact = np.log((1 + np.sqrt(0.99)) / (1 - np.sqrt(0.99)))
    check(z_one_percent, exact, name="z_one_percent", rtol=1e-4)


sigmoid_max.wrong("sigma(z) = 0.99 instead of sigma'(z) = 1% of the max",
                  "z_star = 0.0\nz_one_percent = float(np.log(0.99 / 0.01))", score=1)
sigmoid_max.wrong("the wrong root of s(1 - s) = 0.0025",
                  "z_star = 0.0\nr = np.sqrt(0.99)\n"
                  "z_one_percent = float(np.log((1 - r) / (1 + r)))", score=1)
sigmoid_max.wrong("sigma' at its maximum (1/4), not where it is",
                  "z_star = 0.25\nz_one_percent = float(np.log((1 + np.sqrt(0.99)) / "
                  "(1 - np.sqrt(0.99))))", score=1)
sigmoid_max.wrong("both parts forgotten: defaults left at 1", "z_star = 1.0\nz_one_percent = 1.0")
