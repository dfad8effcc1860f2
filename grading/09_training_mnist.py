"""Chapter 9 (training on MNIST): hidden tests, points and wrong answers of its exercises.

Two exercises read the chapter's trained network (its predictions ``pred``): their hidden tests
recompute the answers from those predictions. Two are experiments (the vanishing gradient,
memorising 20 images): their hidden tests repeat the experiment with the teacher's own code.
"""
import numpy as np

import mlp
from mlp.book.exercises import ExerciseError, check, check_function, check_true
from mlp.book.grading import Exercise, confusion_matrices, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here


def confusion(y, pred):
    cm = np.zeros((10, 10), dtype=np.int64)
    np.add.at(cm, (np.asarray(y), np.asarray(pred)), 1)
    return cm


# ---- ch09-ex-per-class ----------------------------------------------------------------------
per_class_ex = Exercise("ch09-ex-per-class", points=1)


@per_class_ex.hidden
def recall_per_digit(per_class, pred, y_test):
    "correct / total for each true digit"
    cm = confusion(y_test, pred)
    check(per_class, np.diag(cm) / cm.sum(axis=1), name="per_class")


per_class_ex.wrong("divided by the predicted counts (precision)",
                   "per_class = np.diag(cm) / cm.sum(axis=0)")
per_class_ex.wrong("counts, not fractions", "per_class = np.diag(cm).astype(float)")
per_class_ex.wrong("divided by all test images", "per_class = np.diag(cm) / cm.sum()")

# ---- ch09-ex-confused -----------------------------------------------------------------------
confused = Exercise("ch09-ex-confused", points=2)


def confused_reference(cm):
    """(true, predicted) of the largest off-diagonal entry, the first in row order on a tie."""
    cm = np.asarray(cm)
    best = None
    for t, p in np.ndindex(cm.shape):
        if t != p and (best is None or cm[t, p] > cm[best]):
            best = (t, p)
    return best


@confused.hidden
def other_matrices(most_confused):
    "other confusion matrices: 2 to 12 classes, a heavy diagonal, ties, a large pair both ways"
    cases = confusion_matrices(hidden_rng(SEED, "confused"), (2, 6, 12),
                               off_diagonal=25, diagonal=900)
    both_ways = np.zeros((5, 5), dtype=np.int64)
    both_ways[3, 0], both_ways[1, 4], both_ways[4, 1] = 30, 20, 20   # 3->0 beats 1<->4 (40)
    cases += [both_ways, both_ways.T, np.ones((4, 4), dtype=np.int64)]  # the last: all tied
    check_function(most_confused, lambda cm: tuple(int(k) for k in confused_reference(cm)), cases,
                   name="most_confused")


@confused.hidden
def validation_pair(pair_val, tiny, X_val, y_val):
    "the most confused (true, predicted) of the 100-image network on the validation images"
    check_true(isinstance(pair_val, tuple) and len(pair_val) == 2,
               "pair_val should be a tuple (true_class, predicted_class) of two ints.")
    check(pair_val, tuple(int(k) for k in confused_reference(confusion(y_val, tiny.predict(X_val)))),
          name="pair_val")


_VAL = ("\npair_val = most_confused(metrics.confusion_matrix(y_val, tiny.predict(X_val), "
        "n_classes=10))")
confused.wrong("the diagonal included (a digit confused with itself)", "def most_confused(cm):\n"
               "    return tuple(int(k) for k in np.unravel_index(cm.argmax(), cm.shape))" + _VAL)
confused.wrong("(predicted, true) instead of (true, predicted)", "def most_confused(cm):\n"
               "    off_diagonal = cm - np.diag(np.diag(cm))\n"
               "    t, p = np.unravel_index(off_diagonal.argmax(), cm.shape)\n"
               "    return int(p), int(t)" + _VAL)
confused.wrong("both directions added (chapter 14's question)", "def most_confused(cm):\n"
               "    both = np.triu(cm + cm.T, k=1)\n"
               "    t, p = np.unravel_index(both.argmax(), cm.shape)\n"
               "    return int(t), int(p)" + _VAL)
confused.wrong("net004's pair on the test set typed in", "def most_confused(cm):\n"
               "    off_diagonal = cm - np.diag(np.diag(cm))\n"
               "    t, p = np.unravel_index(off_diagonal.argmax(), cm.shape)\n"
               "    return int(t), int(p)\n\npair_val = (3, 5)", score=1)  # tiny's pair is another

# ---- ch09-ex-eta ----------------------------------------------------------------------------
eta = Exercise("ch09-ex-eta", points=1)


@eta.hidden
def equivalent_rate(eta_mlp):
    "mlp's rate for the program's 0.01 with batches of 20 and no 1/2"
    check(float(eta_mlp), 0.01 * 2 * 20, name="eta_mlp", rtol=1e-6)


eta.wrong("the same rate", "eta_mlp = 0.01")
eta.wrong("the missing 1/2 only", "eta_mlp = 0.01 * 2")
eta.wrong("the batch size applied the wrong way round", "eta_mlp = 0.01 * 2 / 20")
eta.wrong("the batch sum only", "eta_mlp = 0.01 * 20")

# ---- ch09-ex-depth --------------------------------------------------------------------------
depth = Exercise("ch09-ex-depth", points=2)


def first_over_last_hidden(X, y, D, activation, init):
    net = mlp.MLP([784] + [30] * (D - 1) + [10], activation=activation, output="softmax",
                  loss="cross_entropy", init=init, seed=0)
    g = net.gradients(X, y)
    return np.linalg.norm(g[0][1]) / np.linalg.norm(g[D - 2][1])


@depth.hidden
def sigmoid_ratios_and_factor(ratios, factor, X_check, y_check):
    "the sigmoid ratios for depths 3 to 7 and the shrink factor per layer"
    check_true(np.shape(ratios) == (5,), "ratios should have shape (5,).")
    ref = np.array([first_over_last_hidden(X_check, y_check, D, "sigmoid", "scaled_normal")
                    for D in range(3, 8)])
    check(ratios, ref, name="ratios", rtol=1e-3)
    check(float(factor), ref[-1] ** 0.2, name="factor", rtol=1e-3)


@depth.hidden
def relu_ratio_at_depth_7(relu_ratio, X_check, y_check):
    "the ReLU network's ratio at depth 7"
    check(float(relu_ratio), first_over_last_hidden(X_check, y_check, 7, "relu", "he_normal"),
          name="relu_ratio", rtol=1e-3)


_depth_solution = (
    "def hidden_ratio(D, activation, init, last=-2, which=1):\n"
    "    net = mlp.MLP([784] + [30] * (D - 1) + [10], activation=activation, output='softmax',\n"
    "                  loss='cross_entropy', init=init, seed=0)\n"
    "    norms = [np.linalg.norm(g[which]) for g in net.gradients(X_check, y_check)]\n"
    "    return norms[0] / norms[last]\n")
depth.wrong("the output layer as the last layer",
            _depth_solution + "ratios = np.array([hidden_ratio(D, 'sigmoid', 'scaled_normal', last=-1)"
            " for D in range(3, 8)])\nfactor = ratios[-1] ** (1 / 5)\n"
            "relu_ratio = hidden_ratio(7, 'relu', 'he_normal', last=-1)")
depth.wrong("last over first (the ratio upside down)",
            _depth_solution + "ratios = np.array([1 / hidden_ratio(D, 'sigmoid', 'scaled_normal')"
            " for D in range(3, 8)])\nfactor = ratios[-1] ** (1 / 5)\n"
            "relu_ratio = 1 / hidden_ratio(7, 'relu', 'he_normal')")
depth.wrong("the weight gradients instead of the bias gradients",
            _depth_solution + "ratios = np.array([hidden_ratio(D, 'sigmoid', 'scaled_normal', which=0)"
            " for D in range(3, 8)])\nfactor = ratios[-1] ** (1 / 5)\n"
            "relu_ratio = hidden_ratio(7, 'relu', 'he_normal', which=0)")
depth.wrong("four steps instead of five in the factor",
            _depth_solution + "ratios = np.array([hidden_ratio(D, 'sigmoid', 'scaled_normal')"
            " for D in range(3, 8)])\nfactor = ratios[-1] ** (1 / 4)\n"
            "relu_ratio = hidden_ratio(7, 'relu', 'he_normal')", score=1)
depth.wrong("the ReLU network with the sigmoid's initialisation",
            _depth_solution + "ratios = np.array([hidden_ratio(D, 'sigmoid', 'scaled_normal')"
            " for D in range(3, 8)])\nfactor = ratios[-1] ** (1 / 5)\n"
            "relu_ratio = hidden_ratio(7, 'relu', 'scaled_normal')", score=1)

# ---- ch09-ex-memorise -----------------------------------------------------------------------
memorise = Exercise("ch09-ex-memorise", points=2)


def twenty_images(X_tr, y_tr):
    from mlp import data
    X_100, y_100 = data.stratified_subset(X_tr, y_tr, 100, seed=0)
    return X_100[:20], y_100[:20]


@memorise.hidden
def all_twenty_memorised(tiny_net, X_tr, y_tr):
    "a 784-30-10 network with post 004's start that gets its 20 images right"
    check_true(isinstance(tiny_net, mlp.MLP) and tiny_net.sizes == [784, 30, 10]
               and tiny_net.config["init"] == "standard_normal",
               "tiny_net should be a 784-30-10 mlp.MLP with post 004's settings "
               "(standard-normal start, softmax with cross-entropy).")
    X20, y20 = twenty_images(X_tr, y_tr)
    right = int(round(20 * tiny_net.accuracy(X20, y20)))
    check_true(right == 20, f"tiny_net gets {right} of the 20 images right, not all of them.")


@memorise.hidden
def its_validation_accuracy(val_acc, tiny_net, X_val, y_val):
    "val_acc: the memorising network on the validation images"
    check(float(val_acc), float(np.mean(tiny_net.predict(X_val) == np.asarray(y_val))),
          name="val_acc", rtol=1e-9)


_net = ("tiny_net = mlp.MLP([784, 30, 10], activation='sigmoid', output='softmax', "
        "loss='cross_entropy', init='{init}', seed=0)\n")
memorise.wrong("trained far too briefly", _net.format(init="standard_normal")
               + "tiny_net.fit(X_100[:20], y_100[:20], epochs=1, batch_size=20, lr=0.1)\n"
               "val_acc = tiny_net.accuracy(X_val, y_val)", score=1)
_memorised = _net + "tiny_net.fit(X_100[:20], y_100[:20], epochs=100, batch_size=5, lr=0.5)\n"
memorise.wrong("val_acc measured on the training images", _memorised.format(init="standard_normal")
               + "val_acc = tiny_net.accuracy(X_100[:20], y_100[:20])", score=1)
memorise.wrong("val_acc measured on the test images", _memorised.format(init="standard_normal")
               + "val_acc = tiny_net.accuracy(X_test, y_test)", score=1)
memorise.wrong("a scaled start, not post 004's", _memorised.format(init="scaled_normal")
               + "val_acc = tiny_net.accuracy(X_val, y_val)", score=1)
