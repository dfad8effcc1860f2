"""Chapter 7 (first networks): hidden tests, points and wrong answers of its exercises.

Two exercises are experiments: the hidden tests repeat them with the teacher's own code (the
notebook's helpers and trained networks are not trusted), one of them with other seeds.
"""
from math import erf

import numpy as np

import mlp
from mlp.book.exercises import ExerciseError, check, check_true
from mlp.book.grading import Exercise

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch07-ex-xor ----------------------------------------------------------------------------
xor = Exercise("ch07-ex-xor", points=2)


@xor.hidden
def learns_xor_with_seed_0(xor_sizes, xor_activation, xor_lr):
    "the chosen network learns XOR in 1000 full-batch epochs (seed 0)"
    check_true(isinstance(xor_sizes, (list, tuple)) and len(xor_sizes) >= 2
               and xor_sizes[0] == 2 and xor_sizes[-1] == 1,
               "xor_sizes should be a list of layer sizes starting with 2 and ending with 1.")
    check_true(isinstance(xor_lr, (int, float)) and xor_lr > 0, "xor_lr should be a positive number.")
    X, y = mlp.truth_table("xor")
    try:
        net = mlp.MLP(list(xor_sizes), activation=xor_activation, loss="mse", seed=0)
        net.fit(X, y, epochs=1000, batch_size=4, lr=xor_lr, shuffle=False)
    except Exception as e:
        raise ExerciseError(f"training the network raised {type(e).__name__}: {e}") from e
    check(net.predict(X), np.array([0, 1, 1, 0]), name="the trained network's XOR outputs")


xor.wrong("no hidden layer", "xor_sizes = [2, 1]\nxor_activation = 'tanh'\nxor_lr = 2.0")
xor.wrong("two hidden units (stuck for seed 0)", "xor_sizes = [2, 2, 1]\nxor_activation = 'tanh'\n"
          "xor_lr = 2.0")
xor.wrong("a learning rate far too small", "xor_sizes = [2, 4, 1]\nxor_activation = 'tanh'\n"
          "xor_lr = 0.001")

# ---- ch07-ex-and ----------------------------------------------------------------------------
and_ex = Exercise("ch07-ex-and", points=1)


def first_perfect_epoch(lr, max_epochs=200):
    X, y = mlp.truth_table("and")
    net = mlp.MLP([2, 1], loss="mse", seed=0)
    accuracies = []
    net.fit(X, y, epochs=max_epochs, batch_size=4, lr=lr, shuffle=False,
            callbacks=[lambda epoch, logs: accuracies.append(net.accuracy(X, y))])
    return accuracies.index(1.0) + 1


@and_ex.hidden
def epochs_at_rate_one(and_epochs):
    "the first epoch after which AND is 100% right (learning rate 1.0)"
    check_true(isinstance(and_epochs, (int, np.integer)), "and_epochs should be a whole number.")
    check(int(and_epochs), first_perfect_epoch(1.0), name="and_epochs")


and_ex.wrong("counted from 0 (one too few)", "and_epochs = 57")
and_ex.wrong("the count at learning rate 2.0", "and_epochs = 29")
and_ex.wrong("the whole training run", "and_epochs = 200")

# ---- ch07-ex-zstd ---------------------------------------------------------------------------
zstd = Exercise("ch07-ex-zstd", points=2)


@zstd.hidden
def spread_of_z(z_std):
    "the standard deviation of z"
    check(z_std, np.sqrt(784 * 0.25 + 1), name="z_std", rtol=0.03)


@zstd.hidden
def fraction_saturated(saturated_fraction):
    "the fraction of units with |z| > 4"
    check(saturated_fraction, 1 - erf(4 / np.sqrt(197) / np.sqrt(2)), name="saturated_fraction",
          rtol=0.03)


zstd.wrong("the variance, not the standard deviation",
           "z_std = 784 * 0.25 + 1\nsaturated_fraction = 1 - erf(4 / np.sqrt(197) / np.sqrt(2))", score=1)
zstd.wrong("the inputs' 0.5 not squared", "z_std = np.sqrt(784 * 0.5 + 1)\n"
           "saturated_fraction = 1 - erf(4 / z_std / np.sqrt(2))")
zstd.wrong("one tail only (z > 4)", "z_std = np.sqrt(197)\n"
           "saturated_fraction = (1 - erf(4 / z_std / np.sqrt(2))) / 2", score=1)

# ---- ch07-ex-init ---------------------------------------------------------------------------
init = Exercise("ch07-ex-init", points=2)


@init.hidden
def shapes_dtype_and_randomness(my_init):
    "shapes, dtype and use of rng for other layer sizes"
    for n_in, n_out in ((3, 7), (64, 2), (1, 1)):
        W, b = my_init(n_in, n_out, np.random.default_rng(0), np.float32)
        check_true(np.shape(W) == (n_in, n_out) and np.shape(b) == (n_out,),
                   f"my_init({n_in}, {n_out}, ...) returned shapes {np.shape(W)} and {np.shape(b)}; "
                   f"expected ({n_in}, {n_out}) and ({n_out},)")
    W1, _ = my_init(50, 50, np.random.default_rng(1), np.float32)
    W2, _ = my_init(50, 50, np.random.default_rng(2), np.float32)
    check_true(not np.allclose(W1, W2), "my_init should draw W with the rng it is given.")


@init.hidden
def deep_sigmoid_trains_for_other_seeds(my_init):
    "the deep sigmoid network trains from two other seeds"
    X, y = mlp.make_spirals(300, noise=0.2, seed=0)
    for seed in (1, 2):
        net = mlp.MLP([2, 64, 64, 64, 64, 2], activation="sigmoid", output="softmax",
                      loss="cross_entropy", init=my_init, seed=seed)
        with np.errstate(all="ignore"):
            try:
                final = net.fit(X, y, epochs=30, batch_size=30, lr=0.05)["loss"][-1]
            except mlp.DivergenceError:
                final = float("inf")
        check_true(final < 0.45, f"from seed {seed} the loss after 30 epochs is {final:.3f}, "
                   f"not below 0.45: the weights are probably too small (or too large) for a sigmoid")


init.wrong("LeCun's 1/sqrt(n_in), the one that stalls", "def my_init(n_in, n_out, rng, dtype=np.float32):\n"
           "    W = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)\n"
           "    return W.astype(dtype), np.zeros(n_out, dtype)", score=1)
init.wrong("all zeros", "def my_init(n_in, n_out, rng, dtype=np.float32):\n"
           "    return np.zeros((n_in, n_out), dtype), np.zeros(n_out, dtype)")
init.wrong("far too large (x10), not scaled by the fan-in", "def my_init(n_in, n_out, rng, dtype=np.float32):\n"
           "    W = rng.standard_normal((n_in, n_out)) * 10\n"
           "    return W.astype(dtype), np.zeros(n_out, dtype)", score=1)
