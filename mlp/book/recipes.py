"""The book's best plain MLP on MNIST: a recipe that reaches >= 98.5% test accuracy (chapter 10).

No convolutions, no data augmentation: two ReLU hidden layers of 800 (the width of LeCun's
"2-layer NN, 800 HU" entry) with He initialisation, dropout 0.3 on the hidden layers, softmax
with cross-entropy, Adam with a learning rate decaying by 0.8 per epoch, mini-batches of 128,
trained on all 60000 training images for 15 epochs. The settings were chosen on the 50k/10k
validation split (98.33% validation accuracy after 15 epochs on 50k), never on the test set.
Measured while developing: 98.62% test accuracy with seed 0 (98.46% with seed 1: seeds move
the result by about a tenth of a point).

    python -m mlp.book.recipes          # trains it (about a minute or two on 2 cores), prints the figures
"""
import argparse
import sys

from ..data import load_mnist
from ..network import MLP
from ..optimizers import Adam
from ..training import exponential_decay
from . import cache

BEST = dict(sizes=[784, 800, 800, 10], activation="relu", output="softmax",
            loss="cross_entropy", init="he_normal", dropout=0.3, seed=0)
TRAINING = dict(epochs=15, batch_size=128, learning_rate=1e-3, decay=0.8)


def build_best(seed=0):
    """The untrained network of the recipe."""
    return MLP(**dict(BEST, seed=seed))


def train_best(X, y, validation_data=None, epochs=None, seed=0, callbacks=(), progress=False):
    """Train the recipe on (X, y); returns (net, history)."""
    net = build_best(seed)
    t = TRAINING
    history = net.fit(X, y, epochs=epochs or t["epochs"], batch_size=t["batch_size"],
                      optimizer=Adam(t["learning_rate"]),
                      schedule=exponential_decay(t["learning_rate"], t["decay"]),
                      validation_data=validation_data, callbacks=callbacks, progress=progress)
    return net, history


def best_model(refresh=False):
    """(net, history) of the recipe trained on all of MNIST's training set: trained once, then
    loaded from the cache (mlp.book.cache) by every chapter that needs it. Training never
    evaluates the test set (the history has training figures only): chapter 10 measures it
    once, on the finished network."""

    def train():
        (X, y), _ = load_mnist()         # the test set is not looked at during training
        return train_best(X, y)
    return cache.cached("best_mlp_v3", train, refresh=refresh)


def main(argv=None):
    """``python -m mlp.book.recipes [--epochs N] [--seed S]``: train the recipe, print its figures."""
    parser = argparse.ArgumentParser(prog="python -m mlp.book.recipes",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=TRAINING["epochs"],
                        help=f"epochs of training (default {TRAINING['epochs']})")
    parser.add_argument("--seed", type=int, default=BEST["seed"], help="seed of init and dropout")
    args = parser.parse_args(argv)
    (X, y), (X_test, y_test) = load_mnist()
    net, history = train_best(X, y, epochs=args.epochs, seed=args.seed, progress=True)
    print(f"test accuracy {net.accuracy(X_test, y_test):.4f} after {len(history['epoch'])} "
          f"epochs, {sum(history['seconds']):.0f} s of training")
    return 0


if __name__ == "__main__":
    sys.exit(main())
