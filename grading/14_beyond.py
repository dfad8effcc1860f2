"""Chapter 14 (beyond): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import ExerciseError, check, check_function, check_true
from mlp.book.grading import Exercise, confusion_matrices, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

N_GOML = 784 * 300 + 300 + 300 * 10 + 10

# ---- ch14-ex-hessian ------------------------------------------------------------------------
hessian_ex = Exercise("ch14-ex-hessian", points=1)


@hessian_ex.hidden
def parameters_and_entries(n_params, hessian_entries):
    "the parameters of 784-300-10 and the entries of its Hessian"
    check(n_params, N_GOML, name="n_params")
    check(hessian_entries, N_GOML ** 2, name="hessian_entries")


hessian_ex.wrong("the weights only", "n_params = 784 * 300 + 300 * 10\nhessian_entries = n_params ** 2")
hessian_ex.wrong("twice the parameters, not their square",
                 "n_params = 784 * 300 + 300 + 300 * 10 + 10\nhessian_entries = 2 * n_params")

# ---- ch14-ex-memory -------------------------------------------------------------------------
memory = Exercise("ch14-ex-memory", points=1)


@memory.hidden
def bytes_of_both(lbfgs_bytes, hessian_bytes):
    "L-BFGS's 10 pairs and the full Hessian, in float64 bytes"
    check(lbfgs_bytes, 2 * 10 * 238510 * 8, name="lbfgs_bytes")
    check(hessian_bytes, 238510 ** 2 * 8, name="hessian_bytes")


memory.wrong("one vector per pair, not two", "lbfgs_bytes = 10 * 238510 * 8\nhessian_bytes = 238510 ** 2 * 8")
memory.wrong("float32 (4 bytes)", "lbfgs_bytes = 2 * 10 * 238510 * 4\nhessian_bytes = 238510 ** 2 * 4")

# ---- ch14-ex-newton -------------------------------------------------------------------------
newton = Exercise("ch14-ex-newton", points=2)


@newton.hidden
def lands_on_the_minimum(w1, A_bowl, b_bowl):
    "one Newton step reaches the bowl's minimum"
    A = np.array([[50.5, 49.5], [49.5, 50.5]])
    b = np.array([1.0, -1.0])
    check(w1, np.linalg.solve(A, b), name="w1", rtol=1e-7)


newton.wrong("a gradient step instead", "w1 = w_bowl - 0.01 * (A_bowl @ w_bowl - b_bowl)")
newton.wrong("the step added", "w1 = w_bowl + np.linalg.solve(A_bowl, A_bowl @ w_bowl - b_bowl)")
newton.wrong("the Hessian's diagonal only", "w1 = w_bowl - (A_bowl @ w_bowl - b_bowl) / np.diag(A_bowl)")

# ---- ch14-ex-pair ---------------------------------------------------------------------------
pair_ex = Exercise("ch14-ex-pair", points=2)


def pair_reference(cm):
    """(i, j), i < j, with the largest cm[i, j] + cm[j, i]; the first in row order on a tie."""
    cm = np.asarray(cm)
    best = None
    for i in range(len(cm)):
        for j in range(i + 1, len(cm)):
            if best is None or cm[i, j] + cm[j, i] > best[0]:
                best = (cm[i, j] + cm[j, i], i, j)
    return best[1], best[2]


@pair_ex.hidden
def other_matrices(confused_pair):
    "other confusion matrices: 2 to 12 classes, a heavy diagonal, ties, one-way maxima"
    cases = confusion_matrices(hidden_rng(SEED, "pair"), (2, 5, 12),
                               off_diagonal=20, diagonal=1000)
    one_way = np.zeros((6, 6), dtype=np.int64)
    one_way[4, 1], one_way[2, 3], one_way[3, 2] = 30, 20, 20      # 2<->3 (40) beats 4->1 (30)
    cases += [one_way, one_way.T, np.ones((4, 4), dtype=np.int64)]  # the last: all tied
    check_function(confused_pair, pair_reference, cases, name="confused_pair")


@pair_ex.hidden
def digits_pair(digit_pair, mnist_net, Xm_test, ym_test):
    "the most confused pair of digits of the chapter's MNIST network"
    cm = np.zeros((10, 10), dtype=np.int64)
    np.add.at(cm, (np.asarray(ym_test), mnist_net.predict(Xm_test)), 1)
    check_true(isinstance(digit_pair, tuple) and len(digit_pair) == 2,
               "digit_pair should be a tuple (i, j) of two ints with i < j.")
    check(digit_pair, pair_reference(cm), name="digit_pair")


_DIGITS = ("\ndigit_pair = confused_pair(metrics.confusion_matrix(ym_test, mnist_net.predict(Xm_test), "
           "n_classes=10))")
pair_ex.wrong("one direction only (the largest single entry)", "def confused_pair(cm):\n"
              "    off = cm - np.diag(np.diag(cm))\n"
              "    return tuple(sorted(int(k) for k in np.unravel_index(off.argmax(), off.shape)))"
              + _DIGITS, score=1)  # right for the digits when their top pair is also the top entry
pair_ex.wrong("the diagonal left in", "def confused_pair(cm):\n    both_ways = cm + cm.T\n"
              "    i, j = np.unravel_index(both_ways.argmax(), both_ways.shape)\n"
              "    return int(i), int(j)" + _DIGITS)
_PAIR = ("def confused_pair(cm):\n    both_ways = np.triu(cm + cm.T, k=1)\n"
         "    i, j = np.unravel_index(both_ways.argmax(), both_ways.shape)\n")  # the right pair, then
pair_ex.wrong("(j, i): the larger class first", _PAIR + "    return int(j), int(i)" + _DIGITS)
pair_ex.wrong("the garments' pair typed in for the digits",
              _PAIR + "    return int(i), int(j)\n\ndigit_pair = (0, 6)", score=1)

# ---- ch14-ex-lbfgs --------------------------------------------------------------------------
lbfgs = Exercise("ch14-ex-lbfgs", points=2)


@lbfgs.hidden
def losses_of_twenty_iterations(loss_before, loss_after):
    "the losses before and after 20 L-BFGS iterations on a fresh moons network"
    X, y = mlp.make_moons(200, noise=0.2, seed=0)
    net = mlp.MLP([2, 8, 2], activation="tanh", output="softmax", loss="cross_entropy",
                  init="glorot_uniform", seed=0, dtype=np.float64)
    before = net.loss(X, y)
    mlp.quasinewton.minimize(net, X, y, method="L-BFGS-B", max_iter=20)
    if loss_before is ... or loss_after is ...:
        raise ExerciseError("Fill in loss_before and loss_after.")
    check(loss_before, before, name="loss_before", rtol=1e-6)
    check(loss_after, net.loss(X, y), name="loss_after", rtol=1e-3)


lbfgs.wrong("the loss after 200 iterations", "net_ex = moons_net()\nloss_before = net_ex.loss(X_moons, y_moons)\n"
            "run_ex = quasinewton.minimize(net_ex, X_moons, y_moons, method='L-BFGS-B', max_iter=200)\n"
            "loss_after = net_ex.loss(X_moons, y_moons)", tuned=True)
lbfgs.wrong("measured before training", "net_ex = moons_net()\nloss_before = net_ex.loss(X_moons, y_moons)\n"
            "loss_after = net_ex.loss(X_moons, y_moons)\n"
            "run_ex = quasinewton.minimize(net_ex, X_moons, y_moons, method='L-BFGS-B', max_iter=20)")
lbfgs.wrong("gradient descent for 20 epochs instead", "net_ex = moons_net()\n"
            "loss_before = net_ex.loss(X_moons, y_moons)\n"
            "net_ex.fit(X_moons, y_moons, epochs=20, batch_size=200, lr=0.5)\n"
            "loss_after = net_ex.loss(X_moons, y_moons)")
