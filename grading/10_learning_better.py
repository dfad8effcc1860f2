"""Chapter 10 (learning better): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import ExerciseError, check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch10-ex-lambda -------------------------------------------------------------------------
lam = Exercise("ch10-ex-lambda", points=2)


@lam.hidden
def mlp_l2(l2_run):
    "mlp's l2 for Nielsen's lambda = 5 on 1,000 images"
    check_true(isinstance(l2_run, (int, float, np.floating)), "l2_run should be a number.")
    check(float(l2_run), 5 / 1_000, name="l2_run", rtol=1e-9)


@lam.hidden
def decay_over_an_epoch(kept_after_epoch):
    "the fraction of a weight the decay leaves after one epoch (100 steps at eta = 0.5)"
    check_true(isinstance(kept_after_epoch, (int, float, np.floating)),
               "kept_after_epoch should be a number.")
    check(float(kept_after_epoch), (1 - 0.5 * 5 / 1_000) ** 100, name="kept_after_epoch", rtol=1e-7)


lam.wrong("lambda itself", "l2_run = 5\nkept_after_epoch = (1 - 0.5 * l2_run) ** 100")
lam.wrong("lambda / (2 n), the penalty's coefficient",
          "l2_run = 5 / 2_000\nkept_after_epoch = (1 - 0.5 * l2_run) ** 100")
lam.wrong("one step's factor, not an epoch's", "l2_run = 5 / 1_000\nkept_after_epoch = 1 - 0.5 * l2_run",
          score=1)
lam.wrong("one step per image (1,000 steps)",
          "l2_run = 5 / 1_000\nkept_after_epoch = (1 - 0.5 * l2_run) ** 1_000", score=1)
lam.wrong("what the decay takes off, not what it leaves",
          "l2_run = 5 / 1_000\nkept_after_epoch = 1 - (1 - 0.5 * l2_run) ** 100", score=1)
lam.wrong("the learning rate left out",
          "l2_run = 5 / 1_000\nkept_after_epoch = (1 - l2_run) ** 100", score=1)
lam.wrong("a placeholder left", "l2_run = ...\nkept_after_epoch = ...")

# ---- ch10-ex-dropout ------------------------------------------------------------------------
dropout = Exercise("ch10-ex-dropout", points=2)


@dropout.hidden
def training_means(expected_inverted, expected_plain):
    "the expected training outputs with and without rescaling"
    check(expected_inverted, 0.8, name="expected_inverted", rtol=1e-9)
    check(expected_plain, 0.4, name="expected_plain", rtol=1e-9)


@dropout.hidden
def test_time_output(test_output):
    "the output at test time"
    check(test_output, 0.8, name="test_output", rtol=1e-9)


dropout.wrong("the two swapped", "expected_inverted, expected_plain, test_output = 0.4, 0.8, 0.8", score=1)
dropout.wrong("test time scaled by q too", "expected_inverted, expected_plain, test_output = 0.8, 0.4, 0.4",
              score=1)
dropout.wrong("q forgotten in the means", "expected_inverted, expected_plain, test_output = 1.6, 0.8, 0.4")

# ---- ch10-ex-schedule -----------------------------------------------------------------------
schedule = Exercise("ch10-ex-schedule", points=2)


@schedule.hidden
def other_rates_and_epochs(exponential_schedule):
    "other starting rates, decay rates and epochs"
    r = hidden_rng(SEED, "schedule")
    cases = [(float(r.uniform(0.01, 1)), float(r.uniform(0.5, 0.99)), int(e)) for e in r.integers(1, 30, 4)]
    cases.append((0.3, 0.5, 1))
    check_function(lambda eta0, rate, epoch: exponential_schedule(eta0, rate)(epoch),
                   lambda eta0, rate, epoch: mlp.exponential_decay(eta0, rate)(epoch),
                   cases, name="exponential_schedule")
    check_true(callable(exponential_schedule(0.1, 0.9)),
               "exponential_schedule(eta0, rate) should return a function of the epoch.")


schedule.wrong("the first epoch already decayed", "def exponential_schedule(eta0, rate):\n"
               "    return lambda epoch: eta0 * rate ** epoch")
schedule.wrong("a linear decay", "def exponential_schedule(eta0, rate):\n"
               "    return lambda epoch: eta0 * (1 - (1 - rate) * (epoch - 1))")
schedule.wrong("a number, not a function", "def exponential_schedule(eta0, rate):\n    return eta0")

# ---- ch10-ex-adam-first-step ---------------------------------------------------------------
first_step = Exercise("ch10-ex-adam-first-step", points=2)


@first_step.hidden
def other_gradients_and_rates(adam_first_step):
    "gradients of other sizes (1e-2 to 1e3) and signs, other learning rates"
    r = hidden_rng(SEED, "adam-first-step")
    g = (10.0 ** r.uniform(-2, 3, size=(3, 4))) * r.choice([-1.0, 1.0], size=(3, 4))

    def mlp_first_step(g, eta):
        theta = np.zeros_like(g)
        mlp.Adam(eta).step([theta], [g.copy()])
        return theta
    cases = [(g, float(r.uniform(1e-4, 1e-2))), (g[0], 0.05)]
    check_function(adam_first_step, mlp_first_step, cases, name="adam_first_step", rtol=1e-4)


first_step.wrong("SGD's step", "def adam_first_step(g, eta):\n    return -eta * g")
first_step.wrong("no bias correction", "def adam_first_step(g, eta):\n"
                 "    m, v = 0.1 * g, 0.001 * g * g\n    return -eta * m / (np.sqrt(v) + 1e-8)")
first_step.wrong("the sign flipped", "def adam_first_step(g, eta):\n    return eta * g / (np.abs(g) + 1e-8)")
first_step.wrong("zeros", "def adam_first_step(g, eta):\n    return np.zeros_like(g)")
first_step.wrong("the squared gradient not rooted", "def adam_first_step(g, eta):\n"
                 "    return -eta * g / (g * g + 1e-8)")

# ---- ch10-ex-adam ---------------------------------------------------------------------------
adam = Exercise("ch10-ex-adam", points=2)


@adam.hidden
def beats_sgd_on_another_seed(adam_lr, X_tiny, y_tiny, X_val, y_val):
    "Adam with adam_lr beats SGD (0.1) from two other seeds"
    check_true(isinstance(adam_lr, (int, float)) and adam_lr > 0, "adam_lr should be a positive number.")

    def run(optimizer, seed):
        net = mlp.MLP([784, 32, 10], activation="relu", output="softmax", loss="cross_entropy",
                      init="he_normal", seed=seed)
        try:
            net.fit(X_tiny, y_tiny, epochs=1, batch_size=32, optimizer=optimizer, seed=seed)
        except mlp.DivergenceError:
            return 0.0
        return net.accuracy(X_val[:2000], y_val[:2000])

    for seed in (1, 2):
        sgd, ours = run(mlp.SGD(0.1), seed), run(mlp.Adam(adam_lr), seed)
        if not ours > sgd:
            raise ExerciseError(f"from seed {seed}, Adam with adam_lr = {adam_lr} reaches "
                                f"{ours:.3f}, SGD {sgd:.3f}: pick a learning rate Adam likes")


adam.wrong("SGD's learning rate", "adam_lr = 0.1")
adam.wrong("far too small", "adam_lr = 1e-6")
adam.wrong("a whole number by mistake", "adam_lr = 1")
