"""Chapter 5 (gradient descent): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch05-ex-one-step -----------------------------------------------------------------------
one_step = Exercise("ch05-ex-one-step", points=1)


@one_step.hidden
def gradient(grad_w):
    "the gradient of the bowl at (2, 1)"
    check(grad_w, np.array([2.0, 20.0]), name="grad_w", rtol=1e-9)


@one_step.hidden
def next_point(w_next):
    "the point after one step"
    check(w_next, np.array([1.92, 0.2]), name="w_next", rtol=1e-9)


one_step.wrong("a step uphill", "grad_w = np.array([2.0, 20.0])\nw_next = np.array([2.08, 1.8])",
               score=0.5)
one_step.wrong("the 20 not differentiated (20 w2^2 -> 20 w2 / 2)",
               "grad_w = np.array([2.0, 10.0])\nw_next = np.array([1.92, 0.6])")
one_step.wrong("the function's value instead of its gradient",
               "grad_w = np.array([2.0, 10.0]) / 1\nw_next = np.array([2.0, 1.0]) - 0.04 * 12.0")

# ---- ch05-ex-critical -----------------------------------------------------------------------
critical = Exercise("ch05-ex-critical", points=1)


@critical.hidden
def critical_rate(eta_max):
    "2 / lambda_max for H = [[3, 1], [1, 3]]"
    check(eta_max, 0.5, name="eta_max", rtol=1e-6)


critical.wrong("2 over the smallest curvature", "eta_max = 2 / 2")
critical.wrong("1 over the largest curvature", "eta_max = 1 / 4")
critical.wrong("2 over the diagonal entry", "eta_max = 2 / 3")

# ---- ch05-ex-gd -----------------------------------------------------------------------------
gd = Exercise("ch05-ex-gd", points=2)


def reference_path(grad, w0, eta, steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(steps):
        w = w - eta * grad(w)
        path.append(w.copy())
    return np.array(path)


def quadratic(H):
    return lambda w: H @ w


@gd.hidden
def other_landscapes(my_gradient_descent):
    "other quadratics (2 and 3 dimensions), a non-quadratic, one step"
    r = hidden_rng(SEED, "gd")
    A = r.normal(size=(3, 3))
    H3 = A @ A.T + np.eye(3)
    cases = [(quadratic(np.diag([1.0, 5.0])), list(r.normal(size=2)), 0.1, 12),
             (quadratic(H3), list(r.normal(size=3)), 0.5 / np.linalg.eigvalsh(H3).max(), 9),
             (lambda w: np.sin(w) + 0.1 * w, [1.0, -2.0], 0.3, 7),
             (quadratic(np.eye(2)), [3.0, 4.0], 0.25, 1)]
    check_function(my_gradient_descent, reference_path, cases, name="my_gradient_descent")


gd.wrong("the step added (ascent)", "def my_gradient_descent(grad, w0, eta, steps):\n"
         "    w = np.array(w0, dtype=float)\n    path = [w.copy()]\n    for _ in range(steps):\n"
         "        w = w + eta * grad(w)\n        path.append(w.copy())\n    return np.array(path)")
gd.wrong("the start point missing from the path", "def my_gradient_descent(grad, w0, eta, steps):\n"
         "    w = np.array(w0, dtype=float)\n    path = []\n    for _ in range(steps):\n"
         "        w = w - eta * grad(w)\n        path.append(w.copy())\n    return np.array(path)")
gd.wrong("the same array appended each time (no copy)",
         "def my_gradient_descent(grad, w0, eta, steps):\n    w = np.array(w0, dtype=float)\n"
         "    path = [w]\n    for _ in range(steps):\n        w -= eta * grad(w)\n"
         "        path.append(w)\n    return np.array(path)")

# ---- ch05-ex-momentum -----------------------------------------------------------------------
momentum = Exercise("ch05-ex-momentum", points=2)


def reference_momentum(grad, w0, eta, beta, steps):
    w = np.array(w0, dtype=float)
    v = np.zeros_like(w)
    path = [w.copy()]
    for _ in range(steps):
        v = beta * v - eta * grad(w)
        w = w + v
        path.append(w.copy())
    return np.array(path)


@momentum.hidden
def other_landscapes_and_betas(my_momentum):
    "other quadratics and momenta (0.9, 0.3), a non-quadratic"
    r = hidden_rng(SEED, "momentum")
    cases = [(quadratic(np.diag([1.0, 8.0])), list(r.normal(size=2)), 0.05, 0.9, 25),
             (quadratic(np.diag([2.0, 0.5, 1.0])), list(r.normal(size=3)), 0.2, 0.3, 10),
             (lambda w: np.sin(w), [1.0, 2.5], 0.1, 0.5, 8)]
    check_function(my_momentum, reference_momentum, cases, name="my_momentum")


momentum.wrong("the velocity not remembered (plain descent)",
               "def my_momentum(grad, w0, eta, beta, steps):\n    w = np.array(w0, dtype=float)\n"
               "    path = [w.copy()]\n    for _ in range(steps):\n        w = w - eta * grad(w)\n"
               "        path.append(w.copy())\n    return np.array(path)")
momentum.wrong("the gradient added to the velocity",
               "def my_momentum(grad, w0, eta, beta, steps):\n    w = np.array(w0, dtype=float)\n"
               "    v = np.zeros_like(w)\n    path = [w.copy()]\n    for _ in range(steps):\n"
               "        v = beta * v + eta * grad(w)\n        w = w + v\n        path.append(w.copy())\n"
               "    return np.array(path)")
momentum.wrong("beta applied to the step instead of the velocity",
               "def my_momentum(grad, w0, eta, beta, steps):\n    w = np.array(w0, dtype=float)\n"
               "    path = [w.copy()]\n    for _ in range(steps):\n        w = w - beta * eta * grad(w)\n"
               "        path.append(w.copy())\n    return np.array(path)")

# ---- ch05-ex-updates ------------------------------------------------------------------------
updates = Exercise("ch05-ex-updates", points=1)


@updates.hidden
def update_count(updates_per_epoch):
    "mini-batches of 50 in 60000 examples"
    check(updates_per_epoch, 1200, name="updates_per_epoch")


updates.wrong("the batch size, not the count", "updates_per_epoch = 50")
updates.wrong("per-sample SGD's count", "updates_per_epoch = 60000")
updates.wrong("a float from /", "updates_per_epoch = 60000 / 50 + 0.5")

# ---- ch05-ex-beta ---------------------------------------------------------------------------
beta_ex = Exercise("ch05-ex-beta", points=2)

W0 = [-4.0, 1.0]
CURVATURE = np.array([1.0, 20.0])


def heavy_ball_steps(eta, beta, steps=300, level=1e-4):
    """Steps of the heavy ball on the bowl from W0 until f < level (None if never)."""
    w, v = np.array(W0), np.zeros(2)
    for k in range(steps + 1):
        if 0.5 * (CURVATURE * w ** 2).sum() < level:
            return k
        v = beta * v - eta * CURVATURE * w
        w = w + v
    return None


def reference_best_momentum(eta):
    betas = np.round(np.arange(0, 0.96, 0.05), 2)
    counts = [heavy_ball_steps(eta, b) for b in betas]
    best = int(np.argmin([c if c is not None else np.inf for c in counts]))
    return float(betas[best]), counts[best]


@beta_ex.hidden
def other_learning_rates(best_momentum):
    "other learning rates between 0.005 and 0.09"
    r = hidden_rng(SEED, "beta")
    etas = [float(np.round(e, 3)) for e in r.uniform(0.005, 0.09, size=3)]
    check_function(best_momentum, reference_best_momentum, etas, name="best_momentum")


_BEST = ("def best_momentum(eta):\n    betas = np.round(np.arange(0, 0.96, 0.05), 2)\n"
         "    steps = [steps_to_reach(momentum_descent(bowl_grad, W0, eta, beta, 300), bowl) for beta in betas]\n")
beta_ex.wrong("the slowest beta", _BEST + "    worst = int(np.argmax([s if s is not None else -1 for s in steps]))\n"
              "    return float(betas[worst]), steps[worst]")
beta_ex.wrong("the text's 0.7, whatever eta", "def best_momentum(eta):\n"
              "    return 0.7, steps_to_reach(momentum_descent(bowl_grad, W0, eta, 0.7, 300), bowl)")
beta_ex.wrong("the index of the best beta, not the beta", _BEST +
              "    best = int(np.argmin([s if s is not None else np.inf for s in steps]))\n"
              "    return float(best), steps[best]")

# ---- ch05-ex-noise --------------------------------------------------------------------------
noise_ex = Exercise("ch05-ex-noise", points=2)


def reference_noise(X, Y, net, B, n_batches, seed):
    flat = lambda grads: np.concatenate([np.ravel(g) for layer in grads for g in layer])
    full, rng = flat(net.gradients(X, Y)), np.random.default_rng(seed)
    d = [flat(net.gradients(X[b], Y[b])) - full
         for b in (rng.choice(len(X), B, replace=False) for _ in range(n_batches))]
    return float(np.sqrt(np.mean(np.sum(np.square(d), axis=1))))


@noise_ex.hidden
def other_networks_batches_and_seeds(gradient_noise, X, Y):
    "another network, batch sizes and seeds, and the whole set (no noise)"
    r = hidden_rng(SEED, "noise")
    net = mlp.MLP([2, 8, 1], activation="tanh", output="sigmoid", loss="binary_cross_entropy",
                  seed=int(r.integers(1000)), dtype=np.float64)
    for B, n_batches in ((int(r.integers(2, 40)), 50), (int(r.integers(40, 200)), 20)):
        seed = int(r.integers(10_000))
        check(gradient_noise(net, B, n_batches=n_batches, seed=seed),
              reference_noise(X, Y, net, B, n_batches, seed), name=f"gradient_noise for B = {B}")
    check(gradient_noise(net, len(X), n_batches=3, seed=0), 0.0, name="gradient_noise for all of X",
          atol=1e-9)


_NOISE = ("def gradient_noise(net, B, n_batches=300, seed=0):\n"
          "    flat = lambda grads: np.concatenate([g.ravel() for layer in grads for g in layer])\n"
          "    full = flat(net.gradients(X, Y))\n    rng = np.random.default_rng(seed)\n    squared = []\n"
          "    for _ in range(n_batches):\n")
noise_ex.wrong("the variance, no square root", _NOISE +
               "        batch = rng.choice(len(X), B, replace=False)\n"
               "        squared.append(np.sum((flat(net.gradients(X[batch], Y[batch])) - full) ** 2))\n"
               "    return np.mean(squared)")
noise_ex.wrong("batches drawn with replacement", _NOISE +
               "        batch = rng.choice(len(X), B, replace=True)\n"
               "        squared.append(np.sum((flat(net.gradients(X[batch], Y[batch])) - full) ** 2))\n"
               "    return np.sqrt(np.mean(squared))")
noise_ex.wrong("the mini-batch gradient's own size", _NOISE +
               "        batch = rng.choice(len(X), B, replace=False)\n"
               "        squared.append(np.sum(flat(net.gradients(X[batch], Y[batch])) ** 2))\n"
               "    return np.sqrt(np.mean(squared))")
