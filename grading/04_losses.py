"""Chapter 4 (losses): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.book.exercises import check, check_function, check_true
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

# ---- ch04-ex-relabel ------------------------------------------------------------------------
relabel = Exercise("ch04-ex-relabel", points=1)


@relabel.hidden
def loss_minimum_below_best_accuracy(y_relabel):
    "one label changed, and the loss's best bias loses accuracy (on a finer grid of biases)"
    x = np.array([-2.0, -1.4, -0.9, -0.3, 0.2, 0.6, 1.1, 1.8])
    y0 = np.array([0, 0, 0, 1, 1, 1, 1, 1])
    labels = np.asarray(y_relabel)
    check_true(labels.shape == (8,) and np.isin(labels, [0, 1]).all() and (labels != y0).sum() == 1,
               "y_relabel should be the eight labels (0 or 1) with exactly one of them changed.")
    z = 2.0 * x + np.linspace(-8, 8, 16001)[:, None]
    a = 0.5 * (1 + np.tanh(z / 2))
    accuracy = ((a > 0.5) == labels).mean(axis=1)
    loss = (labels * np.logaddexp(0, -z) + (1 - labels) * np.logaddexp(0, z)).mean(axis=1)
    check_true(accuracy[loss.argmin()] < accuracy.max() - 1e-9,
               "with these labels the lowest loss comes with the best accuracy: the changed label "
               "only moved the boundary.")


relabel.wrong("a point next to the boundary", "y_relabel = np.array([0, 0, 0, 0, 1, 1, 1, 1])")
relabel.wrong("two labels changed", "y_relabel = np.array([1, 0, 0, 1, 1, 1, 1, 0])")
relabel.wrong("the labels unchanged", "y_relabel = np.array([0, 0, 0, 1, 1, 1, 1, 1])")

# ---- ch04-ex-zstar --------------------------------------------------------------------------
zstar = Exercise("ch04-ex-zstar", points=1)


@zstar.hidden
def peak_of_the_squared_error_push(z_star):
    "where a^2 (1 - a) is largest, exactly log 2"
    check_true(isinstance(z_star, (int, float, np.floating)) and not isinstance(z_star, bool),
               "z_star should be one number.")
    check(z_star, np.log(2), name="z_star", rtol=1e-6)


zstar.wrong("where sigma' is largest", "z_star = 0.0")
zstar.wrong("the output a, not z", "z_star = 2 / 3")
zstar.wrong("the sign reversed", "z_star = -np.log(2)")

# ---- ch04-ex-entropy ------------------------------------------------------------------------
entropy = Exercise("ch04-ex-entropy", points=2)


def reference_descent(p, steps=500, eta=1.0):
    z, values = np.zeros(len(p)), []
    for _ in range(steps):
        q = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        keep = p > 0
        values.append(float(-(p[keep] * np.log(q[keep])).sum()))
        z = z - eta * (q - p)
    return np.array(values), np.exp(z - z.max()) / np.exp(z - z.max()).sum()


@entropy.hidden
def other_targets_steps_and_rates(descend_cross_entropy):
    "other soft targets (one with a zero), step counts and rates"
    r = hidden_rng(SEED, "entropy")
    cases = [(r.dirichlet(np.ones(5)), 40, 0.5), (r.dirichlet(np.ones(3)), 7, 2.0),
             (np.array([0.5, 0.5, 0.0]), 25, 1.0)]
    check_function(lambda p, steps, eta: tuple(descend_cross_entropy(p, steps=steps, eta=eta)),
                   reference_descent, cases, name="descend_cross_entropy", atol=1e-9)


_DESCENT = ("def descend_cross_entropy(p, steps=500, eta=1.0):\n    z = np.zeros(len(p))\n"
            "    history = []\n    for _ in range(steps):\n        q = mlp.activations.softmax(z)\n")
entropy.wrong("a step uphill", _DESCENT + "        history.append(cross_entropy(p, q))\n"
              "        z = z + eta * (q - p)\n    return history, mlp.activations.softmax(z)")
entropy.wrong("the value recorded after each step", _DESCENT +
              "        z = z - eta * (q - p)\n        history.append(cross_entropy(p, mlp.activations.softmax(z)))\n"
              "    return history, mlp.activations.softmax(z)")
entropy.wrong("the entropy of q recorded", _DESCENT + "        history.append(cross_entropy(q, q))\n"
              "        z = z - eta * (q - p)\n    return history, mlp.activations.softmax(z)")
