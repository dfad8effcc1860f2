"""Chapter 1 (the perceptron): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch01-ex-neuron -------------------------------------------------------------------------
neuron = Exercise("ch01-ex-neuron", points=1)


@neuron.hidden
def weighted_input(z):
    "the weighted input z"
    check(z, -1.25, name="z", rtol=1e-9)


@neuron.hidden
def step_output(output):
    "the step output"
    check(output, 0, name="output")


neuron.wrong("the bias forgotten", "z = 2 * 0.5 + (-1) * 1.5 + 0.5 * (-2)\noutput = 0", score=0.5)
neuron.wrong("the step read backwards (fires for z < 0)", "z = -1.25\noutput = 1", score=0.5)
neuron.wrong("a sign slip in every product", "z = 1.25\noutput = 1")

# ---- ch01-ex-nand ---------------------------------------------------------------------------
nand = Exercise("ch01-ex-nand", points=1)


@nand.hidden
def truth_table(w_nand, b_nand):
    "NAND on 00, 01, 10, 11"
    check_true(w_nand is not None and w_nand is not ... and b_nand is not None
               and b_nand is not ... and np.shape(w_nand) == (2,),
               "w_nand should be an array of shape (2,) and b_nand a number.")
    X, y = mlp.truth_table("nand")
    out = (X.astype(float) @ np.asarray(w_nand, dtype=float) + float(b_nand) > 0).astype(int)
    check(out, y.ravel().astype(int), name="the neuron's outputs for 00, 01, 10, 11")


nand.wrong("the AND neuron", "w_nand = np.array([1.0, 1.0])\nb_nand = -1.5")
nand.wrong("only the weights flipped", "w_nand = np.array([-1.0, -1.0])\nb_nand = -1.5")
nand.wrong("NOR instead", "w_nand = np.array([-1.0, -1.0])\nb_nand = 0.5")

# ---- ch01-ex-update -------------------------------------------------------------------------
update = Exercise("ch01-ex-update", points=2)


@update.hidden
def prediction(y_hat):
    "the prediction at z = 0"
    check(y_hat, 0, name="y_hat")


@update.hidden
def new_parameters(w_new, b_new):
    "the weights and bias after the update"
    check(w_new, np.array([1.0, -0.5]), name="w_new", rtol=1e-9)
    check(b_new, 1.0, name="b_new", rtol=1e-9)


update.wrong("step(0) taken as 1, so no update",
             "y_hat = 1\nw_new = np.array([0.5, -1.0])\nb_new = 0.5")
update.wrong("the learning rate left out", "y_hat = 0\nw_new = np.array([1.5, 0.0])\nb_new = 1.5",
             score=1)
update.wrong("the update subtracted", "y_hat = 0\nw_new = np.array([0.0, -1.5])\nb_new = 0.0",
             score=1)

# ---- ch01-ex-xor ----------------------------------------------------------------------------
xor = Exercise("ch01-ex-xor", points=1)


@xor.hidden
def fewest_mistakes(min_mistakes):
    "the fewest XOR points a line must misclassify"
    check(min_mistakes, 1, name="min_mistakes")


xor.wrong("two, as if a line must cut XOR in half", "min_mistakes = 2")
xor.wrong("none, as if some line were perfect", "min_mistakes = 0")

# ---- ch01-ex-rule ---------------------------------------------------------------------------
rule = Exercise("ch01-ex-rule", points=2)


def reference_epoch(X, y, theta, eta=1.0):
    p = mlp.Perceptron(X.shape[1], learning_rate=eta)
    p.w, p.b = np.array(theta[:-1], dtype=float), float(theta[-1])
    p.fit(X, y, epochs=1)
    return np.append(p.w, p.b)


@rule.hidden
def other_datasets(perceptron_epoch):
    "random datasets of 1 to 5 inputs (whole numbers, so z = 0 happens), several learning rates"
    r = hidden_rng(SEED, "perceptron-data")
    cases = []
    for n_in, n, eta in ((1, 7, 0.5), (2, 10, 1.0), (5, 20, 0.5), (3, 12, 0.1)):
        X = r.integers(-1, 3, size=(n, n_in)).astype(float)
        y = (X @ r.normal(size=n_in) + 0.2 > 0).astype(int)
        cases.append((X, y, r.integers(-1, 2, size=n_in + 1).astype(float), eta))
    check_function(perceptron_epoch, reference_epoch, cases, name="perceptron_epoch")


@rule.hidden
def ties_and_the_callers_array(perceptron_epoch):
    "z = 0 exactly (step(0) = 0), and theta left unchanged"
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([1, 0, 1, 1])
    check_function(perceptron_epoch, reference_epoch, [(X, y, np.zeros(3), 0.5)],
                   name="perceptron_epoch")
    theta = np.array([0.2, -0.1, 0.0])
    perceptron_epoch(X, y, theta, 1.0)
    check_true(np.array_equal(theta, [0.2, -0.1, 0.0]),
               "perceptron_epoch changed the theta it was given: work on a copy "
               "(np.array(theta, dtype=float)) and return the new one.")


rule.wrong("step(0) taken as 1", "def perceptron_epoch(X, y, theta, eta=1.0):\n"
           "    theta = np.array(theta, dtype=float)\n    for x, t in zip(X, y):\n"
           "        x1 = np.append(x, 1.0)\n"
           "        theta = theta + eta * (t - int(x1 @ theta >= 0)) * x1\n    return theta")
rule.wrong("the bias never updated", "def perceptron_epoch(X, y, theta, eta=1.0):\n"
           "    theta = np.array(theta, dtype=float)\n    for x, t in zip(X, y):\n"
           "        x1 = np.append(x, 1.0)\n        error = t - int(x1 @ theta > 0)\n"
           "        theta[:-1] = theta[:-1] + eta * error * x\n    return theta")
rule.wrong("all updates computed from the starting theta (a batch step)",
           "def perceptron_epoch(X, y, theta, eta=1.0):\n    theta = np.array(theta, dtype=float)\n"
           "    X1 = np.hstack([X, np.ones((len(X), 1))])\n"
           "    errors = y - (X1 @ theta > 0).astype(int)\n    return theta + eta * errors @ X1")
rule.wrong("theta changed in place (the visible check passes copies)",
           "def perceptron_epoch(X, y, theta, eta=1.0):\n    for x, t in zip(X, y):\n"
           "        x1 = np.append(x, 1.0)\n        theta += eta * (t - int(x1 @ theta > 0)) * x1\n"
           "    return theta", score=1, tuned=True)
