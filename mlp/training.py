"""The training loop: mini-batch gradient descent with the usual tricks (chapters 5, 7 and 10).

One epoch = shuffle, cut into batches, and for each batch: forward, loss, backward, update.
``batch_size=1`` is per-sample SGD exactly as the goml post trains; ``batch_size=len(X)`` is
full-batch gradient descent.
"""
import time

import numpy as np

from . import io
from .optimizers import SGD, get_optimizer


class DivergenceError(FloatingPointError):
    """Training produced a NaN or infinite loss (almost always: the learning rate is too large)."""


class History(dict):
    """Per-epoch figures: ``history["loss"][e]`` etc. Keys: epoch, loss, accuracy (running
    averages over the epoch's batches), val_loss, val_accuracy (when validation data is given),
    learning_rate, seconds. ``stopped_early`` and ``best_epoch`` say how training ended."""

    KEYS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate", "seconds")

    def __init__(self):
        super().__init__({k: [] for k in self.KEYS})
        self.stopped_early = False
        self.best_epoch = None

    def append(self, logs):
        for k in self.KEYS:
            self[k].append(logs.get(k))

    def last(self):
        """The most recent epoch's figures as a dict."""
        return {k: v[-1] for k, v in self.items() if v}


def fit(net, X, Y, epochs=1, batch_size=32, optimizer=None, lr=None, l2=0.0,
        validation_data=None, callbacks=(), early_stopping=None, monitor="val_loss",
        checkpoint=None, shuffle=True, progress=False, schedule=None, seed=None):
    """Train ``net`` in place and return a ``History``.

    optimizer        "sgd", "momentum", "adam" or an optimizer object; ``lr`` its learning rate
                     (``lr`` alone means plain SGD).
    l2               weight decay: the loss gains l2/2 * sum ||W||^2 (post 004's lambda/n).
    validation_data  (X_val, Y_val), evaluated after every epoch.
    callbacks        functions ``cb(epoch, logs)`` called after each epoch; return False to stop.
    early_stopping   patience in epochs: stop when ``monitor`` has not improved for that many
                     epochs, and restore the best weights.
    checkpoint       path: the best model so far (by ``monitor``; the latest without validation
                     data) is saved there after each epoch, atomically.
    schedule         ``schedule(epoch) -> learning rate``, applied at the start of each epoch.
    seed             seeds the shuffling; default: the network's seed.
    """
    X, Y = net._prepare(X, Y)
    opt = _make_optimizer(optimizer, lr)
    val = _prepare_validation(net, validation_data)
    _check_counts(epochs, batch_size)
    rng = np.random.default_rng(net.config["seed"] if seed is None else seed)
    history, tracker = History(), _Tracker(monitor if val else "loss", early_stopping)
    for epoch in range(1, epochs + 1):
        if schedule is not None:
            opt.learning_rate = float(schedule(epoch))
        start = time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            loss, acc = _run_epoch(net, X, Y, opt, batch_size, l2, shuffle, rng, epoch)
        logs = dict(epoch=epoch, loss=loss, accuracy=acc, learning_rate=opt.learning_rate)
        if val:
            logs.update(val_loss=net.loss(*val, l2=l2), val_accuracy=net.accuracy(*val))
        logs["seconds"] = time.perf_counter() - start
        history.append(logs)
        if progress:
            print(_format_logs(logs, epochs), flush=True)
        improved = tracker.update(net, logs)
        if checkpoint is not None and (improved or not val):
            io.save(net, checkpoint)
        stop = any(cb(epoch, logs) is False for cb in callbacks)
        if tracker.should_stop() or stop:
            history.stopped_early = True
            break
    tracker.restore(net)
    history.best_epoch = tracker.best_epoch
    return history


def _run_epoch(net, X, Y, opt, batch_size, l2, shuffle, rng, epoch):
    """One pass over the data; returns the running mean loss and accuracy of its batches."""
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    total_loss, correct, params = 0.0, 0, net.params()
    for step, i in enumerate(range(0, len(X), batch_size)):
        # gather one batch at a time (not the whole shuffled set at once): it is then still
        # in cache for the matrix product that follows, and take() is faster than X[rows]
        rows = order[i:i + batch_size]
        Xb, Yb = X.take(rows, axis=0), Y.take(rows, axis=0)
        a = net._forward(Xb, train=True)
        batch_loss = net._loss_value(Yb, l2)
        if not np.isfinite(batch_loss):
            raise DivergenceError(_divergence_message(batch_loss, epoch, step, opt))
        opt.step(params, [g for grads in net._backward(Yb, l2) for g in grads])
        total_loss += batch_loss * len(Xb)
        correct += _count_correct(a, Yb)
    return total_loss / len(X), correct / len(X)


def _count_correct(a, Y):
    if a.shape[1] == 1:
        return int(((a[:, 0] > 0.5) == (Y[:, 0] > 0.5)).sum())
    return int((a.argmax(axis=1) == Y.argmax(axis=1)).sum())


def _divergence_message(value, epoch, step, opt):
    return (f"training diverged: the loss became {value} at epoch {epoch}, step {step}. "
            f"The learning rate ({opt.learning_rate:g}) is probably too large for this network "
            f"and loss; try {opt.learning_rate / 10:g}, or check the inputs are scaled to ~[0, 1].")


def _make_optimizer(optimizer, lr):
    if optimizer is None and lr is None:
        raise ValueError("fit needs a learning rate: pass lr=0.1 (plain SGD) or "
                         "optimizer='adam' / an optimizer object")
    if optimizer is None:
        return SGD(lr)
    return get_optimizer(optimizer, lr)


def _prepare_validation(net, validation_data):
    if validation_data is None:
        return None
    if len(validation_data) != 2:
        raise ValueError("validation_data must be a pair (X_val, Y_val)")
    return net._prepare(*validation_data)


def _check_counts(epochs, batch_size):
    for name, v in (("epochs", epochs), ("batch_size", batch_size)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {v!r}")


def _format_logs(logs, epochs):
    parts = [f"epoch {logs['epoch']}/{epochs}", f"loss {logs['loss']:.4f}",
             f"acc {logs['accuracy']:.4f}"]
    if logs.get("val_accuracy") is not None:
        parts += [f"val_loss {logs['val_loss']:.4f}", f"val_acc {logs['val_accuracy']:.4f}"]
    return "  ".join(parts + [f"{logs['seconds']:.1f} s"])


class _Tracker:
    """Remembers the best epoch by ``monitor`` (lower loss / higher accuracy) and its weights."""

    def __init__(self, monitor, patience):
        self.monitor, self.patience = monitor, patience
        self.sign = 1 if monitor.endswith("loss") else -1
        self.best, self.best_epoch, self.best_params, self.waited = np.inf, None, None, 0

    def update(self, net, logs):
        value = self.sign * logs[self.monitor]
        if value < self.best:
            self.best, self.best_epoch, self.waited = value, logs["epoch"], 0
            if self.patience is not None:
                self.best_params = [p.copy() for p in net.params()]
            return True
        self.waited += 1
        return False

    def should_stop(self):
        return self.patience is not None and self.waited >= self.patience

    def restore(self, net):
        if self.best_params is not None:
            for p, best in zip(net.params(), self.best_params):
                p[...] = best


def exponential_decay(learning_rate, rate=0.9):
    """A schedule: eta_epoch = learning_rate * rate^(epoch - 1)."""
    return lambda epoch: learning_rate * rate ** (epoch - 1)
