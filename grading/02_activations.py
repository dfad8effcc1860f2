"""Chapter 2 (activations): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.activations import softmax
from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here


def tanh_prime(z):
    return 1 - np.tanh(np.asarray(z, dtype=float)) ** 2


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

# ---- ch02-ex-sigmoid-max --------------------------------------------------------------------
sigmoid_max = Exercise("ch02-ex-sigmoid-max", points=1)


@sigmoid_max.hidden
def one_percent_point(z_one_percent):
    "where sigma' falls to 1% of its maximum, to 8 digits"
    r = np.sqrt(1 - 4 * 0.0025)
    check(z_one_percent, np.log((1 + r) / (1 - r)), name="z_one_percent", rtol=1e-8)


sigmoid_max.wrong("sigma(z) = 0.99 instead of sigma'(z) = 1% of the max",
                  "z_one_percent = float(np.log(0.99 / 0.01))")
sigmoid_max.wrong("the negative root", "r = np.sqrt(1 - 4 * 0.0025)\n"
                  "z_one_percent = float(np.log((1 - r) / (1 + r)))")
sigmoid_max.wrong("a slope of 0.01 (forgot the 1/4)", "r = np.sqrt(1 - 4 * 0.01)\n"
                  "z_one_percent = float(np.log((1 + r) / (1 - r)))")

# ---- ch02-ex-silu-min -----------------------------------------------------------------------
silu_min_ex = Exercise("ch02-ex-silu-min", points=2)


def silu_minimiser():
    z = -1.0
    for _ in range(200):
        z = -(1 + np.exp(z))
    return z


@silu_min_ex.hidden
def where_the_minimum_lies(z_min):
    "the minimiser of z sigma(z), to 8 digits"
    check(z_min, silu_minimiser(), name="z_min", rtol=1e-8)


@silu_min_ex.hidden
def the_minimum_value(silu_min):
    "the minimum value of z sigma(z)"
    z = silu_minimiser()
    check(silu_min, z / (1 + np.exp(-z)), name="silu_min", rtol=1e-8)


silu_min_ex.wrong("GELU's minimiser instead", "z_min = -0.7517915\n"
                  "silu_min = z_min * mlp.activations.sigmoid(np.float64(z_min))")
silu_min_ex.wrong("one step of the iteration", "z_min = -(1 + np.exp(-1.0))\n"
                  "silu_min = z_min * mlp.activations.sigmoid(np.float64(z_min))")
silu_min_ex.wrong("the two swapped", "z_min = -1.0\nfor _ in range(60):\n    z_min = -(1 + np.exp(z_min))\n"
                  "z_min, silu_min = z_min * mlp.activations.sigmoid(np.float64(z_min)), z_min")

# ---- ch02-ex-sigmoid-tail -------------------------------------------------------------------
tail = Exercise("ch02-ex-sigmoid-tail", points=2)


@tail.hidden
def first_break_from_zero(z_break):
    "the integer z nearest 0 where the float32 tanh form is off by over 1%"
    z = np.arange(0, -31, -1)
    a32 = (np.float32(1) + np.tanh(z.astype(np.float32) / np.float32(2))) / np.float32(2)
    a64 = 1 / (1 + np.exp(-z.astype(np.float64)))
    broken = z[np.abs(a32.astype(np.float64) - a64) / a64 > 0.01]
    check_true(z_break is not None and z_break is not ... and float(z_break).is_integer(),
               "z_break should be an integer z between 0 and -30.")
    check(int(z_break), int(broken.max()), name="z_break")


_TAIL = ("zs_int = np.arange(0, -31, -1)\n"
         "a64 = 1 / (1 + np.exp(-zs_int.astype(np.float64)))\n")
tail.wrong("computed in float64 (never breaks)", _TAIL +
           "a = (1 + np.tanh(zs_int.astype(np.float64) / 2)) / 2\n"
           "z_break = int(zs_int[np.argmax(np.abs(a - a64) / a64 > 0.01)])")
tail.wrong("the break farthest from 0", _TAIL +
           "a32 = (np.float32(1) + np.tanh(zs_int.astype(np.float32) / np.float32(2))) / np.float32(2)\n"
           "z_break = int(zs_int[np.abs(a32 - a64) / a64 > 0.01].min())")
tail.wrong("an absolute error instead of a relative one", _TAIL +
           "a32 = (np.float32(1) + np.tanh(zs_int.astype(np.float32) / np.float32(2))) / np.float32(2)\n"
           "z_break = int(zs_int[np.argmax(np.abs(a32 - a64) > 0.01)])")
