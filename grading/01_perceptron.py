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
update.wrong("the bias not updated", "y_hat = 0\nw_new = np.array([1.0, -0.5])\nb_new = 0.5", score=1)

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

# ---- ch01-ex-centre -------------------------------------------------------------------------
centre = Exercise("ch01-ex-centre", points=2)


def augmented_bound(X, y, theta):
    X1, s = np.c_[X, np.ones(len(X))], 2 * np.asarray(y) - 1
    R = np.linalg.norm(X1, axis=1).max()
    gamma = (s * (X1 @ theta)).min() / np.linalg.norm(theta)
    return (R / gamma) ** 2


@centre.hidden
def centred_inputs_and_mistakes(X_centred, mistakes_centred, X_far, y_and):
    "the centred inputs and the mistakes of a perceptron trained on them"
    X_c = np.asarray(X_far, dtype=float) - np.asarray(X_far, dtype=float).mean(axis=0)
    check(X_centred, X_c, name="X_centred")
    check(mistakes_centred, int(sum(mlp.Perceptron(2).fit(X_c, y_and, epochs=100))),
          name="mistakes_centred")


@centre.hidden
def separating_theta_and_its_bound(theta_centred, bound_centred, X_far, y_and):
    "a theta that separates the centred points, and its bound on the augmented vectors"
    X_c = np.asarray(X_far, dtype=float) - np.asarray(X_far, dtype=float).mean(axis=0)
    check(np.shape(theta_centred), (3,), name="the shape of theta_centred")
    theta = np.asarray(theta_centred, dtype=float)
    s = 2 * np.asarray(y_and) - 1
    check_true(np.all(s * (np.c_[X_c, np.ones(4)] @ theta) > 0),
               "theta_centred does not separate the centred AND points.")
    check(bound_centred, augmented_bound(X_c, y_and, theta), name="bound_centred")


_CENTRE = ("X_centred = X_far - X_far.mean(axis=0)\n"
           "mistakes_centred = sum(mlp.Perceptron(2).fit(X_centred, y_and, epochs=100))\n"
           "theta_centred = np.array([2.0, 2.0, -1.0])\n")
centre.wrong("trained on the uncentred inputs", "X_centred = X_far - X_far.mean(axis=0)\n"
             "mistakes_centred = sum(mlp.Perceptron(2).fit(X_far, y_and, epochs=5000))\n"
             "theta_centred = np.array([2.0, 2.0, -1.0])\n"
             "bound_centred = novikoff_bound(X_centred, y_and, theta_centred)[2]", score=1)
centre.wrong("gamma measured in the plane", _CENTRE +
             "X1 = np.c_[X_centred, np.ones(4)]\n"
             "gamma = ((2 * y_and - 1) * (X1 @ theta_centred)).min() / np.linalg.norm(theta_centred[:2])\n"
             "bound_centred = (np.linalg.norm(X1, axis=1).max() / gamma) ** 2", score=1)
centre.wrong("a theta that does not separate (the AND line of the uncentred square)",
             "X_centred = X_far - X_far.mean(axis=0)\n"
             "mistakes_centred = sum(mlp.Perceptron(2).fit(X_centred, y_and, epochs=100))\n"
             "theta_centred = np.array([1.0, 1.0, -1.5])\nbound_centred = 13.5", score=1)

# ---- ch01-ex-pocket -------------------------------------------------------------------------
pocket = Exercise("ch01-ex-pocket", points=2)


def reference_pocket(X, y, epochs):
    X1 = np.c_[X, np.ones(len(X))]
    y = np.asarray(y)
    theta = np.zeros(X1.shape[1])
    count = lambda th: int(np.sum((X1 @ th > 0).astype(int) != y))
    best, best_mistakes = theta.copy(), count(theta)
    for _ in range(epochs):
        for x1, target in zip(X1, y):
            error = target - int(x1 @ theta > 0)
            if error:
                theta = theta + error * x1
                if count(theta) < best_mistakes:
                    best, best_mistakes = theta.copy(), count(theta)
    return best, best_mistakes


@pocket.hidden
def other_overlapping_data(pocket_fit):
    "overlapping clouds in 2 and 3 dimensions, other epoch counts"
    r = hidden_rng(SEED, "pocket")
    cases = []
    for n, dim, epochs in ((30, 2, 7), (24, 3, 12), (9, 1, 5)):
        y = r.integers(0, 2, size=n)
        X = r.normal(size=(n, dim)) + np.where(y[:, None] == 1, 0.6, -0.6)
        cases.append((X, y, epochs))
    check_function(pocket_fit, reference_pocket, cases, name="pocket_fit")


pocket.wrong("no pocket: the last weights", "def pocket_fit(X, y, epochs):\n"
             "    X1 = np.c_[X, np.ones(len(X))]\n    y = np.asarray(y)\n    theta = np.zeros(X1.shape[1])\n"
             "    for _ in range(epochs):\n        for x1, t in zip(X1, y):\n"
             "            theta = theta + (t - int(x1 @ theta > 0)) * x1\n"
             "    return theta, int(np.sum((X1 @ theta > 0).astype(int) != y))")
pocket.wrong("compared only at the end of each epoch", "def pocket_fit(X, y, epochs):\n"
             "    X1 = np.c_[X, np.ones(len(X))]\n    y = np.asarray(y)\n    theta = np.zeros(X1.shape[1])\n"
             "    count = lambda th: int(np.sum((X1 @ th > 0).astype(int) != y))\n"
             "    best, best_m = theta.copy(), count(theta)\n    for _ in range(epochs):\n"
             "        for x1, t in zip(X1, y):\n            theta = theta + (t - int(x1 @ theta > 0)) * x1\n"
             "        if count(theta) < best_m:\n            best, best_m = theta.copy(), count(theta)\n"
             "    return best, best_m")
pocket.wrong("the bias first instead of last", "def pocket_fit(X, y, epochs):\n"
             "    X1 = np.c_[np.ones(len(X)), X]\n    y = np.asarray(y)\n    theta = np.zeros(X1.shape[1])\n"
             "    count = lambda th: int(np.sum((X1 @ th > 0).astype(int) != y))\n"
             "    best, best_m = theta.copy(), count(theta)\n    for _ in range(epochs):\n"
             "        for x1, t in zip(X1, y):\n            e = t - int(x1 @ theta > 0)\n"
             "            if e:\n                theta = theta + e * x1\n"
             "                if count(theta) < best_m:\n                    best, best_m = theta.copy(), count(theta)\n"
             "    return best, best_m")
