"""Chapter 9 (training on MNIST): hidden tests, points and wrong answers of its exercises.

The answers here are read off the chapter's trained network (its predictions ``pred`` and
confusion matrix ``cm``), so the hidden tests recompute them from those arrays.
"""
import numpy as np

from mlp.book.exercises import check, check_true
from mlp.book.grading import Exercise

SEED = 0  # tools/assignments.py writes the teacher's seed here


def confusion(y, pred):
    cm = np.zeros((10, 10), dtype=np.int64)
    np.add.at(cm, (np.asarray(y), np.asarray(pred)), 1)
    return cm


# ---- ch09-ex-accuracy -----------------------------------------------------------------------
accuracy = Exercise("ch09-ex-accuracy", points=1)


@accuracy.hidden
def fraction_correct(test_accuracy, pred, y_test):
    "the fraction of correct test predictions, as a float"
    check_true(isinstance(test_accuracy, float), "test_accuracy should be a Python float in [0, 1].")
    check(test_accuracy, float(np.mean(np.asarray(pred) == np.asarray(y_test))),
          name="test_accuracy", rtol=1e-9)


accuracy.wrong("a count, not a fraction", "test_accuracy = float(np.sum(pred == y_test))")
accuracy.wrong("in percent", "test_accuracy = float(100 * np.mean(pred == y_test))")
accuracy.wrong("the error rate", "test_accuracy = float(np.mean(pred != y_test))")

# ---- ch09-ex-confused -----------------------------------------------------------------------
confused = Exercise("ch09-ex-confused", points=1)


@confused.hidden
def largest_off_diagonal(pair, pred, y_test):
    "the largest off-diagonal entry of the confusion matrix"
    cm = confusion(y_test, pred)
    off = cm - np.diag(np.diag(cm))
    check(pair, tuple(int(k) for k in np.unravel_index(off.argmax(), cm.shape)), name="pair")


confused.wrong("the diagonal included (a digit confused with itself)",
               "pair = tuple(int(k) for k in np.unravel_index(cm.argmax(), cm.shape))")
confused.wrong("(predicted, true) instead of (true, predicted)",
               "off_diagonal = cm - np.diag(np.diag(cm))\n"
               "pair = tuple(int(k) for k in np.unravel_index(off_diagonal.argmax(), cm.shape))[::-1]")
confused.wrong("the flat index, not the pair", "off_diagonal = cm - np.diag(np.diag(cm))\n"
               "pair = (int(off_diagonal.argmax()), 0)")

# ---- ch09-ex-per-class ----------------------------------------------------------------------
per_class_ex = Exercise("ch09-ex-per-class", points=2)


@per_class_ex.hidden
def recall_per_digit(per_class, pred, y_test):
    "correct / total for each true digit"
    cm = confusion(y_test, pred)
    check(per_class, np.diag(cm) / cm.sum(axis=1), name="per_class")


per_class_ex.wrong("divided by the predicted counts (precision)",
                   "per_class = np.diag(cm) / cm.sum(axis=0)")
per_class_ex.wrong("counts, not fractions", "per_class = np.diag(cm).astype(float)")
per_class_ex.wrong("divided by all test images", "per_class = np.diag(cm) / cm.sum()")

# ---- ch09-ex-params -------------------------------------------------------------------------
params = Exercise("ch09-ex-params", points=1)


@params.hidden
def parameter_count(n_params):
    "the parameters of 784-30-10"
    check(n_params, 784 * 30 + 30 + 30 * 10 + 10, name="n_params")


params.wrong("the weights only", "n_params = 784 * 30 + 30 * 10")
params.wrong("the neurons", "n_params = 784 + 30 + 10")

# ---- ch09-ex-eta ----------------------------------------------------------------------------
eta = Exercise("ch09-ex-eta", points=1)


@eta.hidden
def equivalent_rate(eta_mlp):
    "mlp's rate for goml's 0.1"
    check(eta_mlp, 0.2, name="eta_mlp", rtol=1e-9)


eta.wrong("the same rate", "eta_mlp = 0.1")
eta.wrong("halved instead of doubled", "eta_mlp = 0.05")
eta.wrong("the mean over 10 outputs taken into account", "eta_mlp = 2 * 0.1 / 10")
