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
        checkpoint=None, shuffle=True, progress=False, schedule=None, seed=None,
        augment=None, augment_every="batch"):
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
    augment          data augmentation (chapter 10): a function ``augment(X_batch, rng) ->
                     X_new`` of the same shape, e.g. ``mlp.data.augment.Distortion(...)``.
                     Training then sees fresh random distortions of the inputs (targets kept);
                     ``rng`` is a Generator of its own, seeded from ``seed``, so the shuffling
                     and dropout draw exactly what they draw without augmentation.
    augment_every    "batch" (default): call ``augment`` on each mini-batch as it is gathered;
                     "epoch": call it once per epoch on the whole training set.
    """
    X, Y = net._prepare(X, Y)
    opt = _make_optimizer(optimizer, lr)
    val = _prepare_validation(net, validation_data)
    _check_counts(epochs, batch_size)
    shuffle_seed = net.config["seed"] if seed is None else seed
    rng = np.random.default_rng(shuffle_seed)
    augment = _Augmentation(augment, augment_every, shuffle_seed, net.dtype)
    history, tracker = History(), _Tracker(monitor if val else "loss", early_stopping)
    for epoch in range(1, epochs + 1):
        if schedule is not None:
            opt.learning_rate = float(schedule(epoch))
        start = time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            loss, acc = _run_epoch(net, augment.epoch(X), Y, opt, batch_size, l2, shuffle, rng,
                                   epoch, augment.batch)
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


def _run_epoch(net, X, Y, opt, batch_size, l2, shuffle, rng, epoch, augment_batch=None):
    """One pass over the data; returns the running mean loss and accuracy of its batches."""
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    total_loss, correct, params = 0.0, 0, net.params()
    for step, i in enumerate(range(0, len(X), batch_size)):
        # gather one batch at a time (not the whole shuffled set at once): it is then still
        # in cache for the matrix product that follows, and take() is faster than X[rows]
        rows = order[i:i + batch_size]
        Xb, Yb = X.take(rows, axis=0), Y.take(rows, axis=0)
        if augment_batch is not None:
            Xb = augment_batch(Xb)
        a = net._forward(Xb, train=True)
        batch_loss = net._loss_value(Yb, l2)
        if not np.isfinite(batch_loss):
            raise DivergenceError(_divergence_message(batch_loss, epoch, step, opt))
        opt.step(params, [g for grads in net._backward(Yb, l2) for g in grads])
        total_loss += batch_loss * len(Xb)
        correct += _count_correct(a, Yb)
    return total_loss / len(X), correct / len(X)


class _Augmentation:
    """Applies ``fit``'s ``augment`` function per batch or per epoch, with its own Generator
    (seeded from the shuffling seed, so turning augmentation on leaves the shuffling alone),
    and checks that what it returns can stand in for the inputs."""

    EVERY = ("batch", "epoch")

    def __init__(self, augment, every, seed, dtype):
        if augment is not None and not callable(augment):
            raise TypeError(f"augment must be a function (X_batch, rng) -> X_batch, "
                            f"got {augment!r}")
        if every not in self.EVERY:
            raise ValueError(f"augment_every must be one of {self.EVERY}, got {every!r}")
        self.augment, self.every, self.dtype = augment, every, dtype
        if augment is not None:
            self.rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
        self.batch = self._apply if augment is not None and every == "batch" else None

    def epoch(self, X):
        """The inputs of this epoch: X itself, or all of X augmented once (``every="epoch"``)."""
        return self._apply(X) if self.augment is not None and self.every == "epoch" else X

    def _apply(self, X):
        X_new = self.augment(X, self.rng)
        if getattr(X_new, "shape", None) != X.shape:
            raise ValueError(f"augment must return an array of the shape it was given, "
                             f"{X.shape}, but returned {getattr(X_new, 'shape', type(X_new))}")
        return np.asarray(X_new, dtype=self.dtype)


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


def cosine_decay(learning_rate, epochs, final=0.0):
    """A schedule: eta falls from ``learning_rate`` at epoch 1 along half a cosine, reaching
    ``final`` after the last epoch:
    eta_e = final + (learning_rate - final) (1 + cos(pi (e - 1) / epochs)) / 2."""
    return lambda epoch: final + (learning_rate - final) * 0.5 * (
        1 + np.cos(np.pi * (epoch - 1) / epochs))
