"""The seed posts' MNIST networks, reproduced with mlp (chapter 9, 09_training_mnist.ipynb).

Three blog posts report MNIST results for a one-hidden-layer network; each function below trains
that network with the same data and, where the post says, the same settings:

    train_goml(rule="true"|"goml")   # post 001 (goml, Go): 784-300-10 sigmoid, MSE, SGD on 1
    train_digit_recognizer()         # post 002 (Go web app): 784-200-10, softmax output, lr 0.01
    train_post004(eta=3.0)           # post 004 (numpy): 784-30-10, softmax + CE, batches of 50

``rule="goml"`` trains with the goml repository's backpropagation, which passes the error to the
hidden layer without the output activation's derivative (``goml_gradients``); chapter 9 sets it
beside the true gradient, and ``goml_encode`` is goml's data encoding (pixels in [0.01, 1],
targets 0.01 / 0.99). Trained models are cached (``load_or_train``): a second call loads the
weights and the per-epoch history instead of training again, with identical results.

    python -m mlp.book.seeds          # the full-length runs of all three posts, the results table,
                                 # post 004's eta 3.0 vs 2.0 over 5 seeds, goml's losses vs ours
    python -m mlp.book.seeds --quick  # the shortened runs that chapter 9 executes (5,000 images)
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np

from ..data import load_mnist, stratified_subset, train_validation_split
from ..network import MLP
from . import blas
from .cache import cached

CACHE_VERSION = 1  # bump when training code changes so that old cached models are not reused
QUICK_N_TRAIN = 5000  # chapter 9's per-sample runs: a stratified subset of this many images

# ---- post 001: goml -------------------------------------------------------------------------
GOML_LEARNING_RATE = 0.1  # LearningRate of the MNIST test in github.com/kujenga/goml (100 units)
GOML_REPORTED = 0.9644     # "one-hot predictions score: 0.9644" after 5 epochs on all 60k
GOML_REPORTED_LOSSES = (0.010991104, 0.0065983073, 0.0057215523, 0.0051340326, 0.004867792)
LECUN_300HU_MSE = 1 - 0.047  # LeCun's table: 2-layer NN, 300 HU, mean square error: 4.7% error


def goml_encode(X, y=None):
    """goml's data encoding: pixels x in [0, 1] -> 0.99 x + 0.01, targets 0.01 / 0.99 (not 0 / 1).

    Returns X, or (X, Y) with Y (N, 10) when labels y are given. (From goml's mnist package.)
    """
    X = X * np.float32(0.99) + np.float32(0.01)
    if y is None:
        return X
    Y = np.full((len(y), 10), 0.01, np.float32)
    Y[np.arange(len(y)), y] = 0.99
    return X, Y


def goml_init(n_in, n_out, rng, dtype=np.float32):
    """goml's start: W ~ N(0, 1) / sqrt(n_in), b ~ U[0, 1) (its ``rand.Float32()`` biases)."""
    W = rng.standard_normal((n_in, n_out), dtype=np.float32) / np.float32(np.sqrt(n_in))
    b = rng.random(n_out, dtype=np.float32)
    return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


def goml_learning_rate(eta_goml):
    """mlp's learning rate for the same step as goml's ``eta_goml`` (chapter 9).

    goml updates w -= eta * 2 (a - y) f'(z) a_prev: the derivative of sum_k (a_k - y_k)^2.
    mlp's MSE is C = 1/2 sum_k (a_k - y_k)^2 (mean over the batch, here a batch of one), whose
    derivative is (a - y): half as large. So the same step needs eta_mlp = 2 * eta_goml.
    (goml *reports* the loss averaged over the 10 outputs as well: L_goml = (2/10) L_mlp.)
    """
    return 2 * eta_goml


def _goml_backward(net, Y):
    """goml's rule on the caches of the last forward pass: [[dW, db], ...] in mlp's scale.

    Output layer: delta = dL/da * f'(z), the true gradient. Every layer then hands back
    ``error @ W.T`` with its *own error*, not its delta: the f'(z) of the layer above is missing.
    """
    out = net.layers[-1]
    error = net.loss_fn.grad(out.cache[2], Y)  # MSE: (a - Y) / N, goml's lastE (1/2 scale)
    grads = []
    for i in range(len(net.layers) - 1, -1, -1):
        layer = net.layers[i]
        _, z, a, _ = layer.cache
        delta = layer.activation.backward(z, a, error)
        _, g = layer.backward_delta(delta, need_da_prev=False)
        grads.append(g)
        if i > 0:
            error = error @ layer.W.T  # the bug: should be delta @ layer.W.T
    return grads[::-1]


def goml_gradients(net, X, Y):
    """The goml rule's "gradients" of ``net.loss(X, Y)``: [(dW, db), ...] like ``net.gradients``.

    Right for the output layer, wrong for hidden layers (chapter 9; gradcheck shows the gap).
    """
    X, Y = net._prepare(X, Y)
    net._forward(X)
    return [tuple(g) for g in _goml_backward(net, Y)]


class GomlRuleMLP(MLP):
    """An MLP whose training (``fit``) follows goml's backpropagation rule instead of the
    gradient. Forward pass, loss and predictions are the ordinary ones (chapter 9)."""

    def _backward(self, Y, l2=0.0):
        if l2:
            raise ValueError("the goml rule has no weight decay")
        return _goml_backward(self, Y)


def goml_network(hidden=300, rule="true", seed=0, loss="mse"):
    """784-hidden-10, sigmoid everywhere, goml's initialisation; rule "true" or "goml".

    loss="binary_cross_entropy" gives the principled version of what goml's rule does by
    accident in its hidden layer (chapter 9); the goml rule itself is defined for "mse" only.
    """
    if rule == "goml" and loss != "mse":
        raise ValueError("goml's rule is defined for the squared error (loss='mse') only")
    cls = {"true": MLP, "goml": GomlRuleMLP}[rule]
    return cls([784, hidden, 10], activation="sigmoid", output="sigmoid", loss=loss,
               init=goml_init, seed=seed)


def train_goml(epochs=5, rule="true", n_train=None, hidden=300, loss="mse", encoding="book",
               data=None, seed=0, cache=True):
    """Post 001: per-sample SGD in file order (goml does not shuffle), eta 0.1 in goml's scale.

    n_train=None trains on all 60,000 images; an int takes a stratified subset (seed 0).
    encoding="goml" trains on ``goml_encode``d data (evaluate on ``goml_encode(X_test)`` too);
    "book" on pixels in [0, 1] and 0/1 targets. Returns (net, history).
    """
    spec = dict(post="001", rule=rule, hidden=hidden, epochs=epochs, n_train=n_train, seed=seed,
                eta_goml=GOML_LEARNING_RATE)
    spec.update({k: v for k, v in (("loss", loss), ("encoding", encoding))
                 if v not in ("mse", "book")})

    def train():
        (X, y), _ = _mnist(data)
        X, Y = _subset(X, y, n_train)
        if encoding == "goml":
            X, Y = goml_encode(X, Y)
        net = goml_network(hidden, rule, seed, loss)
        history = net.fit(X, Y, epochs=epochs, batch_size=1, shuffle=False,
                          lr=goml_learning_rate(GOML_LEARNING_RATE))
        return net, history

    suffix = "".join(f"-{v}" for v in (loss, encoding) if v not in ("mse", "book"))
    return load_or_train(f"goml-{rule}-{hidden}{suffix}", spec, train, cache)


# ---- post 002: the digit recogniser ---------------------------------------------------------
DIGIT_RECOGNIZER_REPORTED = 0.9672


def train_digit_recognizer(epochs=10, n_train=None, patience=2, data=None, seed=0, cache=True):
    """Post 002: 784-200-10, sigmoid hidden, softmax output, uniform init, per-sample SGD, lr 0.01.

    The post stops early when the *test* accuracy drops; we stop on a validation set split
    off the training images (the last 10,000, chapter 8) and keep the best epoch's weights.
    n_train=None: 50,000 training + 10,000 validation images; an int: a stratified subset of
    that size, trained for ``epochs`` without a validation set. Returns (net, history).
    """
    spec = dict(post="002", epochs=epochs, n_train=n_train, patience=patience, seed=seed)

    def train():
        (X, y), _ = _mnist(data)
        net = MLP([784, 200, 10], activation="sigmoid", output="softmax", loss="cross_entropy",
                  init="uniform", seed=seed)
        if n_train is not None:
            X, y = _subset(X, y, n_train)
            return net, net.fit(X, y, epochs=epochs, batch_size=1, lr=0.01)
        (X, y), validation = train_validation_split(X, y)
        history = net.fit(X, y, epochs=epochs, batch_size=1, lr=0.01, validation_data=validation,
                          early_stopping=patience, monitor="val_accuracy")
        return net, history

    return load_or_train("digit-recognizer-200", spec, train, cache)


# ---- post 004: numpy from scratch -----------------------------------------------------------
def train_post004(eta=3.0, epochs=10, batch_size=50, n_train=None, data=None, seed=0, cache=True):
    """Post 004: 784-30-10, sigmoid hidden, softmax + cross-entropy, N(0, 1) init, mini-batch 50.

    Trains on the first 50,000 images (or a stratified subset of ``n_train`` of them) and
    validates on the last 10,000 each epoch. Post 004 divides eta by the batch size and sums
    the batch's gradients, i.e. it averages them, as mlp does: its eta is mlp's learning rate,
    unchanged. Returns (net, history).
    """
    spec = dict(post="004", eta=eta, epochs=epochs, batch_size=batch_size, seed=seed)
    if n_train is not None:
        spec["n_train"] = n_train

    def train():
        (X, y), _ = _mnist(data)
        (X, y), validation = train_validation_split(X, y)
        X, y = _subset(X, y, n_train)
        net = MLP([784, 30, 10], activation="sigmoid", output="softmax", loss="cross_entropy",
                  init="standard_normal", seed=seed)
        history = net.fit(X, y, epochs=epochs, batch_size=batch_size, lr=eta,
                          validation_data=validation)
        return net, history

    return load_or_train(f"post004-eta{eta:g}", spec, train, cache)


def compare_post004_learning_rates(etas=(3.0, 2.0), run_seeds=range(5), data=None, cache=True):
    """Validation accuracy per epoch of post 004's network for each eta over several seeds.

    Returns {eta: array (len(seeds), epochs)}. One seed cannot tell whether 3.0 "converges
    faster" than 2.0: the seed-to-seed spread is as large as the effect (chapter 9).
    """
    data = _mnist(data)
    return {eta: np.array([train_post004(eta, data=data, seed=s, cache=cache)[1]["val_accuracy"]
                           for s in run_seeds]) for eta in etas}


# ---- cache ----------------------------------------------------------------------------------
def model_name(name, spec):
    """The cache name of a run: ``name`` plus a hash of everything that shapes its weights."""
    # BLAS threads change float sums (so the weights), so they are part of the key
    blob = json.dumps(dict(spec, cache_version=CACHE_VERSION, blas_threads=blas_threads()),
                      sort_keys=True)
    return f"{name}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def blas_threads():
    """The thread count(s) the BLAS libraries run with now, as text (``blas.pin_threads`` sets it)."""
    if blas.threadpool_info is None:
        return os.environ.get("OPENBLAS_NUM_THREADS", "default")
    counts = sorted({i["num_threads"] for i in blas.threadpool_info() if i.get("user_api") == "blas"})
    return ",".join(map(str, counts)) or "default"


def load_or_train(name, spec, train, cache=True):
    """``train() -> (net, history)``, or both loaded by ``mlp.book.cache.cached`` if trained before.

    The history comes back as a plain dict of lists either way (a JSON round trip), so what a
    notebook prints is the same whether it trained or loaded; only ``seconds`` is the original
    run's. ``cache=False`` always trains and writes nothing.
    """
    if cache:
        return cached(model_name(name, spec), train)
    net, history = train()
    return net, json.loads(json.dumps(dict(history)))


# ---- data and the results table -------------------------------------------------------------
def _mnist(data):
    return load_mnist() if data is None else data


def _subset(X, y, n):
    return (X, y) if n is None else stratified_subset(X, y, n, seed=0)


def results_table(rows):
    """Rows of (post, architecture, training, reported, ours) as an aligned text table."""
    header = ("post", "architecture", "training", "reported", "ours")
    rows = [header] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def percent(fraction):
    """0.96437 -> '96.44%' (two decimals, as every accuracy in chapter 9 is shown)."""
    return f"{100 * fraction:.2f}%"


GOML_RUNS = (  # (train_goml options, architecture, label); the last two only in the full run
    (dict(rule="true"), "784-300-10 sigmoid, MSE", "true gradient"),
    (dict(rule="goml"), "784-300-10 sigmoid, MSE", "goml's rule"),
    (dict(loss="binary_cross_entropy"), "784-300-10 sigmoid, CE", "true gradient"),
    (dict(rule="goml", encoding="goml"), "784-300-10 sigmoid, MSE", "goml's rule and encoding"),
    (dict(rule="goml", encoding="goml", hidden=100), "784-100-10 sigmoid, MSE",
     "goml's rule and encoding"),
)


def reproduce(quick=False, data=None, cache=True, log=print):
    """Train all reproductions (chapter 9's short versions if ``quick``); return table rows."""
    data = _mnist(data)
    X_test, y_test = data[1]
    n, dr_epochs = (QUICK_N_TRAIN, 5) if quick else (None, 10)
    where = f"{QUICK_N_TRAIN // 1000}k" if quick else "60k"
    rows = []
    for options, architecture, label in GOML_RUNS[:3] if quick else GOML_RUNS:
        net, _ = _timed(log, f"goml {architecture}, {label}", train_goml, 5, n_train=n,
                        data=data, cache=cache, **options)
        X = goml_encode(X_test) if options.get("encoding") == "goml" else X_test
        reported = (f"{percent(GOML_REPORTED)} (LeCun {percent(LECUN_300HU_MSE)})"
                    if "MSE" in architecture else "-")
        rate = "eta 0.1" if "MSE" in architecture else "lr 0.2"  # goml's units only for MSE
        rows.append(("001 goml", architecture, f"SGD 1, {rate}, 5 ep, {where}, {label}",
                     reported, percent(net.accuracy(X, y_test))))
    net, history = _timed(log, "digit recogniser", train_digit_recognizer, dr_epochs,
                          n_train=n, data=data, cache=cache)
    stop = f"{dr_epochs} ep, {where}" if quick else f"best of {len(history['epoch'])} ep by val"
    rows.append(("002 digits", "784-200-10 sigmoid, softmax", f"SGD 1, lr 0.01, {stop}",
                 percent(DIGIT_RECOGNIZER_REPORTED), percent(net.accuracy(X_test, y_test))))
    for eta in (3.0, 2.0):
        net, _ = _timed(log, f"post 004 eta {eta:g}", train_post004, eta, data=data, cache=cache)
        rows.append(("004 numpy", "784-30-10 sigmoid, softmax+CE",
                     f"batch 50, eta {eta:g}, 10 ep, 50k", "-",
                     percent(net.accuracy(X_test, y_test))))
    return rows


def goml_loss_report(data=None, cache=True):
    """goml's printed per-epoch losses beside ours for its repository's setup, in goml's units."""
    hidden_100, hidden_300 = (train_goml(5, "goml", hidden=h, encoding="goml", data=data,
                                         cache=cache)[1] for h in (100, 300))
    lines = ["epoch  goml printed  ours 784-100-10  ours 784-300-10  (L_goml = C_mlp / 5)"]
    for e, reported in enumerate(GOML_REPORTED_LOSSES):
        lines.append(f"{e + 1:>5}  {reported:>12.6f}  {hidden_100['loss'][e] / 5:>15.6f}"
                     f"  {hidden_300['loss'][e] / 5:>15.6f}")
    return "\n".join(lines)


def goml_seed_spread(run_seeds=range(4), data=None, cache=True):
    """Test accuracies of goml's repository setup (784-100-10, its rule and encoding) per seed."""
    data = _mnist(data)
    X_test, y_test = data[1]
    return [train_goml(5, "goml", hidden=100, encoding="goml", data=data, seed=s,
                       cache=cache)[0].accuracy(goml_encode(X_test), y_test) for s in run_seeds]


def _timed(log, what, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    log(f"{what}: {time.perf_counter() - start:.0f} s")
    return result


def learning_rate_report(curves):
    """Text: mean (min-max) validation accuracy per epoch for each eta, over the seeds."""
    etas = list(curves)
    header = "  ".join(f"eta {eta:g}: mean (min-max)".ljust(28) for eta in etas)
    lines = [f"epoch  {header}".rstrip()]
    for e in range(curves[etas[0]].shape[1]):
        cells = [f"{percent(c[:, e].mean())} ({percent(c[:, e].min())}-{percent(c[:, e].max())})"
                 for c in curves.values()]
        lines.append((f"{e + 1:>5}  " + "  ".join(cell.ljust(28) for cell in cells)).rstrip())
    return "\n".join(lines)


def main(argv=None):
    """``python -m mlp.book.seeds [--quick] [--no-cache]``: train and print the results table."""
    parser = argparse.ArgumentParser(prog="python -m mlp.book.seeds", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="chapter 9's shortened runs")
    parser.add_argument("--no-cache", action="store_true", help="train even if cached")
    args = parser.parse_args(argv)
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    data = load_mnist()
    rows = reproduce(quick=args.quick, data=data, cache=not args.no_cache, log=log)
    print(results_table(rows))
    if not args.quick:
        curves = _timed(log, "post 004, 5 seeds x 2 etas", compare_post004_learning_rates,
                        data=data, cache=not args.no_cache)
        print("\npost 004, validation accuracy over 5 seeds:")
        print(learning_rate_report(curves))
        print("\ngoml's printed training loss and ours (goml's rule and encoding):")
        print(goml_loss_report(data=data, cache=not args.no_cache))
        spread = goml_seed_spread(data=data, cache=not args.no_cache)
        print("\n784-100-10 with goml's rule and encoding, seeds 0-3: test accuracy "
              + ", ".join(percent(a) for a in spread))
    return 0


if __name__ == "__main__":
    sys.exit(main())
