"""Chapter 14 (beyond): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import ExerciseError, check, check_true
from mlp.book.grading import Exercise

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


@pair_ex.hidden
def most_confused_both_ways(pair, cm_f):
    "the two classes confused most often in either direction, i < j"
    cm = np.asarray(cm_f)
    both = cm + cm.T
    np.fill_diagonal(both, -1)
    i, j = np.unravel_index(both.argmax(), both.shape)
    check_true(isinstance(pair, tuple) and len(pair) == 2,
               "pair should be a tuple (i, j) of two ints with i < j.")
    check(pair, (int(min(i, j)), int(max(i, j))), name="pair")


pair_ex.wrong("the two best-recognised classes (the diagonal)",
              "pair = tuple(sorted(int(k) for k in np.argsort(np.diag(cm_f))[-2:]))")
pair_ex.wrong("the diagonal left in", "both_ways = cm_f + cm_f.T\n"
              "pair = tuple(sorted(int(k) for k in np.unravel_index(both_ways.argmax(), both_ways.shape)))")
pair_ex.wrong("not sorted (j, i)", "both_ways = cm_f + cm_f.T - 2 * np.diag(np.diag(cm_f))\n"
              "pair = tuple(sorted((int(k) for k in np.unravel_index(both_ways.argmax(), both_ways.shape)),"
              " reverse=True))")

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
