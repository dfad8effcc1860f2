"""Chapter 4 (losses): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.book.exercises import check, check_function
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch04-ex-mse ----------------------------------------------------------------------------
mse = Exercise("ch04-ex-mse", points=1)


@mse.hidden
def the_loss(L_mse):
    "the mean squared error of the two examples"
    check(L_mse, 0.075, name="L_mse", rtol=1e-9)


mse.wrong("no 1/2 in C", "L_mse = ((0.8 - 1) ** 2 + 0.1 ** 2 + 0.3 ** 2 + (0.6 - 1) ** 2) / 2")
mse.wrong("a sum over the examples, not a mean",
          "L_mse = 0.5 * ((0.8 - 1) ** 2 + 0.1 ** 2) + 0.5 * (0.3 ** 2 + (0.6 - 1) ** 2)")
mse.wrong("a mean over all four numbers", "L_mse = 0.5 * np.mean([0.2 ** 2, 0.1 ** 2, 0.3 ** 2, 0.4 ** 2])")

# ---- ch04-ex-bce ----------------------------------------------------------------------------
bce = Exercise("ch04-ex-bce", points=1)


@bce.hidden
def the_cost(bce_value):
    "the cross-entropy of a = 0.9 for y = 1"
    check(bce_value, -np.log(0.9), name="bce_value", rtol=1e-9)


bce.wrong("the sign dropped", "bce_value = np.log(0.9)")
bce.wrong("the cost for y = 0", "bce_value = -np.log(0.1)")
bce.wrong("log base 10", "bce_value = -np.log10(0.9)")

# ---- ch04-ex-log-softmax --------------------------------------------------------------------
log_softmax_ex = Exercise("ch04-ex-log-softmax", points=2)


def reference_log_softmax(Z):
    Z = np.asarray(Z, dtype=float)
    return Z - np.logaddexp.reduce(Z, axis=1, keepdims=True)


@log_softmax_ex.hidden
def huge_and_ordinary_batches(log_softmax):
    "batches with scores near +-1e4 (in one batch too), one row, one column"
    r = hidden_rng(SEED, "log-softmax")
    inputs = [r.normal(size=(5, 7)) * 3, 1e4 + r.normal(size=(3, 4)), -1e4 + r.normal(size=(2, 3)),
              r.normal(size=(1, 6)), r.normal(size=(4, 1)),
              np.array([[1e4, 1e4 - 2], [-1e4, -1e4 + 1]]) + r.normal(size=(2, 2))]
    check_function(log_softmax, reference_log_softmax, inputs, name="log_softmax")


log_softmax_ex.wrong("the naive log(softmax)", "def log_softmax(Z):\n    e = np.exp(Z)\n"
                     "    return np.log(e / e.sum(axis=1, keepdims=True))")
log_softmax_ex.wrong("the max of the whole batch, not of each row",
                     "def log_softmax(Z):\n    m = Z.max()\n"
                     "    return Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))")
log_softmax_ex.wrong("normalised over columns", "def log_softmax(Z):\n    m = Z.max(axis=0, keepdims=True)\n"
                     "    return Z - m - np.log(np.exp(Z - m).sum(axis=0, keepdims=True))")

# ---- ch04-ex-bce-delta ----------------------------------------------------------------------
bce_delta = Exercise("ch04-ex-bce-delta", points=2)


@bce_delta.hidden
def other_scores_and_labels(dC_dz):
    "random scores (some large) and labels, soft labels too"
    r = hidden_rng(SEED, "bce-delta")
    z1, y1 = r.normal(0, 4, size=8), r.integers(0, 2, size=8).astype(float)
    z2, y2 = r.normal(size=(3, 2)), r.random((3, 2))
    exact = lambda z, y: 0.5 * (1 + np.tanh(np.asarray(z, float) / 2)) - y
    check_function(dC_dz, exact, [(z1, y1), (z2, y2)], name="dC_dz", atol=1e-9)


bce_delta.wrong("the sign reversed", "def dC_dz(z, y):\n    return y - sigmoid(z)")
bce_delta.wrong("the sigmoid's slope kept (the MSE delta)",
                "def dC_dz(z, y):\n    a = sigmoid(z)\n    return (a - y) * a * (1 - a)")
bce_delta.wrong("z where sigma(z) belongs", "def dC_dz(z, y):\n    return z - y")

# ---- ch04-ex-one-hot ------------------------------------------------------------------------
one_hot_ex = Exercise("ch04-ex-one-hot", points=2)


def reference_one_hot(y, n_classes):
    return np.eye(n_classes)[np.asarray(y)]


@one_hot_ex.hidden
def other_labels(one_hot):
    "other labels and class counts, one label, a class never seen"
    r = hidden_rng(SEED, "one-hot")
    inputs = [(r.integers(0, 7, size=12), 7), (np.array([3]), 5), (np.array([0, 0, 1]), 4)]
    check_function(one_hot, reference_one_hot, inputs, name="one_hot")


one_hot_ex.wrong("transposed: one column per example",
                 "def one_hot(y, n_classes):\n    Y = np.zeros((n_classes, len(y)))\n"
                 "    Y[y, np.arange(len(y))] = 1\n    return Y")
one_hot_ex.wrong("only as many classes as the largest label",
                 "def one_hot(y, n_classes):\n    return np.eye(y.max() + 1)[y]")
one_hot_ex.wrong("the labels themselves", "def one_hot(y, n_classes):\n    return y")
