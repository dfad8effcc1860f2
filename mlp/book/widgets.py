"""Interactive controls for the notebooks (ipywidgets + matplotlib, imported only when used).

Each function returns an ipywidgets box whose figure is drawn at construction, so the static
book shows a picture too. The box carries its logic as attributes (``.controls``, ``.fig``,
``.train()`` ...) so tests and notebooks can drive it without a browser.

Figures are plain ``matplotlib.figure.Figure`` objects (not pyplot), rendered to PNG and put
into an Output widget by replacing its outputs: safe from the training thread, no flicker,
and no duplicate figure at the end of the cell.
"""
import base64
import html
import io
import threading
import time

import numpy as np

from ..activations import get_activation
from ..network import MLP
from ..training import DivergenceError
from . import plots

ACTIVATIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu")
HIDDEN_ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu")


def _w():
    import ipywidgets
    return ipywidgets


def _figure(n_cols=1, width=5.0, height=3.6, **kwargs):
    """A pyplot-free Figure with n_cols Axes side by side."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width * n_cols, height), layout="constrained")
    axes = fig.subplots(1, n_cols, squeeze=False, **kwargs)[0]
    return fig, list(axes)


def _show(out, fig, dpi=90):
    """Replace the contents of Output ``out`` with ``fig`` rendered as a PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    data = {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
            "text/plain": f"<Figure of {len(fig.axes)} Axes>"}
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


def _box(children, **attributes):
    """A VBox carrying ``attributes`` (logic for tests and notebooks)."""
    box = _w().VBox(children)
    for k, v in attributes.items():
        setattr(box, k, v)
    return box


# ---- chapter 2: one neuron -------------------------------------------------------------------
def neuron_explorer(activation="sigmoid"):
    """One neuron a = f(w x + b) over x in [-5, 5], with f'(w x + b) dashed; chapter 2.

    Returns a VBox with ``.controls`` (activation, w, b), ``.fig``, ``.x`` (401,), ``.update()``.
    """
    W = _w()
    controls = dict(
        activation=W.Dropdown(options=ACTIVATIONS, value=activation, description="f"),
        w=W.FloatSlider(value=1.0, min=-5, max=5, step=0.1, description="w"),
        b=W.FloatSlider(value=0.0, min=-5, max=5, step=0.1, description="b"))
    out, x = W.Output(), np.linspace(-5, 5, 401)
    fig, (ax,) = _figure(width=6, height=3.6)

    def update(change=None):
        _draw_neuron(ax, x, controls["activation"].value, controls["w"].value, controls["b"].value)
        _show(out, fig)

    for c in controls.values():
        c.observe(update, names="value")
    update()
    return _box([W.HBox(list(controls.values())), out], controls=controls, fig=fig, x=x,
                update=update, output=out)


def _draw_neuron(ax, x, name, w, b):
    f = get_activation(name)
    z = (w * x + b)[:, None]
    a = f.forward(z)
    ax.clear()
    ax.plot(x, a[:, 0], color=plots.PALETTE[0], lw=2.2, label=f"a = {name}(w x + b)")
    ax.plot(x, f.derivative(z, a)[:, 0], color=plots.PALETTE[1], lw=1.6, ls="--",
            label=f"{name}′(w x + b)")
    if w != 0 and -5 <= -b / w <= 5:
        ax.axvline(-b / w, color="0.4", lw=0.8, ls=":", label="w x + b = 0")
    bounded = name in ("step", "sigmoid", "tanh")
    ax.set(xlim=(-5, 5), ylim=(-1.15, 1.15) if bounded else (-1.5, 6))
    ax.axhline(0, color="0.6", lw=0.7)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    plots._style(ax, f"w = {w:.1f}, b = {b:.1f}", "x", "a")


# ---- chapter 3: bumps make any function ---------------------------------------------------------
def bump_explorer(target=None, n_bumps=5, steepness=50.0):
    """One hidden layer of sigmoids drawing a target on [0, 1] as a sum of bumps; chapter 3.

    Bump i is the pair sigma(k (x - e_i)) - sigma(k (x - e_(i+1))) scaled by the target at the
    middle of [e_i, e_(i+1)]; the n bumps split [0, 1] evenly, the outer edges pushed out to -1 and
    2, and k = steepness * n. ``target`` maps (N,) to (N,) (default: sin(3 pi x) (1 - x) + x).
    Returns a VBox with ``.controls`` (n_bumps, steepness), ``.fig``, ``.x`` (501,), ``.net`` (the
    1-2n-1 MLP drawing it), ``.max_error`` (on ``.x``) and ``.update()``.
    """
    W = _w()
    target = target or (lambda x: np.sin(3 * np.pi * x) * (1 - x) + x)
    controls = dict(
        n_bumps=W.IntSlider(value=n_bumps, min=1, max=40, description="bumps"),
        steepness=W.FloatLogSlider(value=steepness, base=10, min=0, max=3, step=0.05,
                                   description="steepness", readout_format=".1f"))
    out, x = W.Output(), np.linspace(0, 1, 501)
    fig, (ax,) = _figure(width=6.5, height=3.8)
    box = _box([W.HBox(list(controls.values())), out], controls=controls, fig=fig, x=x,
               output=out, net=None, max_error=None)

    def update(change=None):
        box.net = _bump_net(target, controls["n_bumps"].value, controls["steepness"].value)
        box.max_error = _draw_bumps(ax, x, target, box.net)
        _show(out, fig)

    for c in controls.values():
        c.observe(update, names="value")
    box.update = update
    update()
    return box


def _bump_net(target, n, steepness):
    """The 1-2n-1 sigmoid MLP whose hidden pairs are the n bumps (see bump_explorer)."""
    edges = np.linspace(0, 1, n + 1)
    heights = target((edges[:-1] + edges[1:]) / 2)
    edges[0], edges[-1] = -1.0, 2.0
    k = steepness * n
    net = MLP([1, 2 * n, 1], activation="sigmoid", output="identity", dtype=np.float64)
    hidden, output = net.layers
    hidden.W[0] = k
    hidden.b[0::2], hidden.b[1::2] = -k * edges[:-1], -k * edges[1:]
    output.W[0::2, 0], output.W[1::2, 0], output.b[0] = heights, -heights, 0.0
    return net


def _draw_bumps(ax, x, target, net):
    hidden = net.layers[0].forward(x[:, None])
    y, f = net.forward(x[:, None])[:, 0], target(x)
    error = float(np.max(np.abs(y - f)))
    ax.clear()
    ax.plot(x, f, color="0.2", lw=1.4, ls="--", label="target")
    ax.plot(x, y, color=plots.PALETTE[0], lw=2.2, label="network (sum of bumps)")
    w_out = net.layers[1].W[:, 0]
    if len(w_out) <= 40:  # up to 20 bumps, draw each one (a hidden pair times its output weights)
        for i in range(0, len(w_out), 2):
            ax.plot(x, hidden[:, i] * w_out[i] + hidden[:, i + 1] * w_out[i + 1],
                    color=plots.PALETTE[1], lw=0.8, alpha=0.6, label="one bump" if i == 0 else None)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    plots._style(ax, f"{len(w_out) // 2} bumps = {len(w_out)} hidden sigmoids: "
                     f"max error {error:.3f}", "x", "output")
    return error


# ---- chapter 7: decision boundary playground --------------------------------------------------
def decision_boundary_playground(X, y, hidden_sizes=(8,), activation="tanh", learning_rate=0.5,
                                 epochs=300, seed=0, batch_size=32, resolution=100):
    """Train a small MLP on 2-D data and draw its decision boundary and loss; chapter 7.

    X: (N, 2); y: (N,) integer labels. The network has n_layers hidden layers of the same width
    (initially len(hidden_sizes) layers of hidden_sizes[0] units), a softmax output, and is
    trained with SGD in batches of ``batch_size``. Returns a VBox with ``.controls``, ``.train()``,
    ``.net``, ``.history``, ``.fig``; the first training runs at construction.
    """
    W = _w()
    X, y = np.asarray(X, dtype=np.float32), np.asarray(y).astype(np.int64)
    hidden_sizes = tuple(hidden_sizes) or (8,)
    controls = dict(
        hidden_size=W.IntSlider(value=hidden_sizes[0], min=1, max=max(32, hidden_sizes[0]),
                                description="units"),
        n_layers=W.IntSlider(value=min(len(hidden_sizes), 3), min=1, max=3, description="layers"),
        activation=W.Dropdown(options=HIDDEN_ACTIVATIONS, value=activation,
                              description="activation"),
        learning_rate=W.FloatLogSlider(value=learning_rate, base=10, min=-3, max=1, step=0.1,
                                       description="learning rate", readout_format=".3f"),
        epochs=W.IntSlider(value=epochs, min=min(10, epochs), max=max(1000, epochs), step=10,
                           description="epochs"))
    button, out = W.Button(description="Train", button_style="primary", icon="play"), W.Output()
    fig, axes = _figure(2, width=4.6, height=4.0, width_ratios=[1.25, 1])
    box = _box([W.HBox([controls["hidden_size"], controls["n_layers"], controls["activation"]]),
                W.HBox([controls["learning_rate"], controls["epochs"], button]), out],
               controls=controls, fig=fig, output=out, net=None, history=None)

    def train(_=None):
        try:
            box.net, box.history = _train_playground(X, y, controls, seed, batch_size)
        except DivergenceError as e:  # a learning rate too large: say so instead of raising
            with out:
                out.clear_output(wait=True)
                print(f"Training diverged — lower the learning rate. ({e})")
            return None
        _draw_playground(axes, box.net, box.history, X, y, resolution)
        _show(out, fig)
        return box.history

    box.train = train
    button.on_click(train)
    train()
    return box


def _train_playground(X, y, controls, seed, batch_size):
    n_classes = int(y.max()) + 1
    sizes = [X.shape[1]] + [controls["hidden_size"].value] * controls["n_layers"].value
    net = MLP(sizes + [max(n_classes, 2)], activation=controls["activation"].value,
              output="softmax", loss="cross_entropy", seed=seed)
    history = net.fit(X, y, epochs=controls["epochs"].value, batch_size=batch_size,
                      lr=controls["learning_rate"].value, seed=seed)
    return net, history


def _draw_playground(axes, net, history, X, y, resolution):
    ax_b, ax_l = axes
    ax_b.clear(), ax_l.clear()
    plots.decision_boundary(net, X, y, ax=ax_b, resolution=resolution)
    ax_b.set_title(f"accuracy {net.accuracy(X, y):.1%}", fontsize=12)
    ax_l.plot(history["epoch"], history["loss"], color=plots.PALETTE[0], lw=1.8)
    ax_l.set_ylim(0, None)
    plots._style(ax_l, f"loss {history['loss'][-1]:.4f}", "epoch", "training loss")


# ---- chapter 9/12: browse predictions ------------------------------------------------------------
def digit_browser(images, labels, predictions, probabilities=None, class_names=None):
    """Step through examples: the image, its label and prediction, the probabilities; ch. 9, 12.

    images: (n, 784) or (n, 28, 28); labels, predictions: (n,); probabilities: (n, k) or None.
    Returns a VBox with ``.controls`` (index, play), ``.fig``, ``.show(i)``.
    """
    W = _w()
    images = plots._as_images(images)
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    n = len(images)
    index = W.IntSlider(value=0, min=0, max=max(n - 1, 0), description="example")
    play = W.Play(value=0, min=0, max=max(n - 1, 0), interval=1200, description="play")
    W.jslink((play, "value"), (index, "value"))
    out = W.Output()
    fig, axes = _figure(2 if probabilities is not None else 1, width=3.6, height=3.2,
                        width_ratios=[1, 1.5] if probabilities is not None else None)
    name = plots._namer(class_names)

    def show(i):
        i = int(i)
        _draw_example(axes, images[i], labels[i], predictions[i], name,
                      None if probabilities is None else probabilities[i], class_names)
        _show(out, fig)

    index.observe(lambda change: show(change["new"]), names="value")
    show(0)
    return _box([W.HBox([play, index]), out], controls=dict(index=index, play=play), fig=fig,
                show=show, output=out)


def _draw_example(axes, image, label, prediction, name, p, class_names):
    ax = axes[0]
    ax.clear()
    vmax = 1.0 if image.max() <= 1 else float(image.max())
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=vmax)
    ax.set_xticks([]), ax.set_yticks([])
    wrong = label != prediction
    ax.set_title(f"label {name(label)}, predicted {name(prediction)}", fontsize=11,
                 color=plots.WRONG if wrong else "black")
    if p is not None:
        axes[1].clear()
        plots.probability_bars(p, ax=axes[1], class_names=class_names, label=label)


# ---- chapter 11: the training panel ------------------------------------------------------------
def training_panel(X, y, X_val=None, y_val=None, hidden_sizes=(32,), activation="relu",
                   learning_rate=0.1, batch_size=32, epochs=10, optimizer="sgd",
                   output="softmax", loss="cross_entropy", seed=0):
    """Train an MLP from a panel of controls and watch its learning curves live; chapter 11.

    X: (N, n_in); y: (N,) labels or (N, k) targets; X_val, y_val likewise (optional).
    Returns a VBox with ``.train(block=True)``, ``.stop()``, ``.clear()``, ``.runs`` (list of
    dicts: settings, ``history``, ``net``), ``.controls``, ``.fig``, ``.thread``, ``.status``.
    Training runs in a background thread when started from the button, so Stop works.
    """
    panel = _TrainingPanel(X, y, X_val, y_val, output, loss, seed, dict(
        learning_rate=learning_rate, hidden_sizes=hidden_sizes, activation=activation,
        batch_size=batch_size, epochs=epochs, optimizer=optimizer))
    return panel.widget


class _TrainingPanel:
    """The logic behind ``training_panel``; ``self.widget`` is what the notebook displays."""

    def __init__(self, X, y, X_val, y_val, output, loss, seed, settings):
        flat = lambda A: None if A is None else np.asarray(A).reshape(len(A), -1)  # noqa: E731
        self.data = (flat(X), y, flat(X_val), y_val)
        self.fixed = dict(output=output, loss=loss, seed=seed)
        self.runs, self.thread, self.lock = [], None, threading.Lock()
        self.stop_flag = threading.Event()
        self.controls = _panel_controls(settings)
        self.fig, self.axes = _figure(2, width=4.6, height=3.4)
        self.widget = self._layout()
        self.redraw()

    def _layout(self):
        W = _w()
        c = self.controls
        self.buttons = dict(
            train=W.Button(description="Train", button_style="primary", icon="play"),
            stop=W.Button(description="Stop", icon="stop", disabled=True),
            clear=W.Button(description="Clear", icon="trash"))
        self.buttons["train"].on_click(lambda _: self.train(block=False))
        self.buttons["stop"].on_click(lambda _: self.stop())
        self.buttons["clear"].on_click(lambda _: self.clear())
        self.status, self.output = W.HTML("Press <b>Train</b> to start."), W.Output()
        rows = [W.HBox([c["learning_rate"], c["hidden_sizes"], c["activation"]]),
                W.HBox([c["batch_size"], c["epochs"], c["optimizer"]]),
                W.HBox(list(self.buttons.values()) + [self.status]), self.output]
        return _box(rows, train=self.train, stop=self.stop, clear=self.clear, runs=self.runs,
                    controls=self.controls, fig=self.fig, status=self.status, panel=self,
                    buttons=self.buttons, output=self.output)

    # -- actions ------------------------------------------------------------------------------
    def train(self, block=True):
        """Start a run with the current settings; block=True runs it here and returns the run
        dict, block=False starts a thread (returned; also ``widget.thread``)."""
        if self.thread is not None and self.thread.is_alive():
            self._set_status("Already training — press Stop first.", error=True)
            return None
        try:
            settings = _read_settings(self.controls)
        except ValueError as e:
            self._set_status(str(e), error=True)
            return None
        self.stop_flag.clear()
        run = _Run(settings, history={k: [] for k in ("epoch", "loss", "accuracy", "val_accuracy")},
                   net=None, error=None, running=True)
        self.runs.append(run)
        self._set_running(True)
        self._set_status("Training…")
        if block:
            self._run(run)
            return run
        self.thread = threading.Thread(target=self._run, args=(run,), daemon=True)
        self.widget.thread = self.thread
        self.thread.start()
        return self.thread

    def stop(self):
        """Ask the running training to stop after the current epoch."""
        self.stop_flag.set()

    def clear(self):
        """Forget all finished runs (a running one is kept) and redraw."""
        with self.lock:
            self.runs[:] = [r for r in self.runs if r["running"]]
        self.redraw()
        if not self.runs:
            self._set_status("Cleared. Press <b>Train</b> to start.")

    # -- the training thread --------------------------------------------------------------
    def _run(self, run):
        X, y, X_val, y_val = self.data
        last_draw = [time.perf_counter()]  # short runs draw once, at the end

        def callback(epoch, logs):
            with self.lock:
                for k in run["history"]:
                    run["history"][k].append(logs.get(k))
            if time.perf_counter() - last_draw[0] > 0.3:
                self.redraw()
                self._set_status(_progress(run, logs))
                last_draw[0] = time.perf_counter()
            return not self.stop_flag.is_set()

        try:
            run["net"] = _make_net(X, y, y_val, run, self.fixed)
            val = None if X_val is None else (X_val, y_val)
            history = run["net"].fit(X, y, epochs=run["epochs"], batch_size=run["batch_size"],
                                     optimizer=run["optimizer"], lr=run["learning_rate"],
                                     validation_data=val, callbacks=[callback])
            with self.lock:
                run["history"] = history
            self._set_status(_summary(run))
        except Exception as e:  # show any failure (e.g. divergence) in the panel
            run["error"] = f"{type(e).__name__}: {e}"
            self._set_status(run["error"], error=True)
        finally:
            run["running"] = False
            self._set_running(False)
            self.redraw()

    # -- display ------------------------------------------------------------------------------
    def redraw(self):
        """Draw every run (older ones faded) into the figure and show it."""
        with self.lock:
            _draw_runs(self.axes, self.runs)
            _show(self.output, self.fig)

    def _set_status(self, text, error=False):
        if error:
            text = f'<span style="color:{plots.WRONG}">{html.escape(text)}</span>'
        self.status.value = text

    def _set_running(self, running):
        self.buttons["train"].disabled = running
        self.buttons["stop"].disabled = not running


class _Run(dict):
    """One training run of the panel: its settings, ``history``, ``net``, ``error``, ``running``.
    A dict with a one-line repr, so ``panel.train(block=True)`` ends a cell cleanly."""

    def __repr__(self):
        h = self["history"]
        done = f"{len(h['epoch'])} epochs"
        done += f", accuracy {h['accuracy'][-1]:.4f}" if h["epoch"] else ""
        return f"Run({_run_label(self)}: {self['error'] or done})"


def _panel_controls(s):
    W = _w()
    sizes = [1, 8, 16, 32, 64, 128, 256, 1024]
    return dict(
        learning_rate=W.FloatLogSlider(value=s["learning_rate"], base=10, min=-4, max=1, step=0.1,
                                       description="learning rate", readout_format=".4f"),
        hidden_sizes=W.Text(value=",".join(str(h) for h in s["hidden_sizes"]),
                            description="hidden sizes", placeholder="e.g. 64,32"),
        activation=W.Dropdown(options=HIDDEN_ACTIVATIONS, value=s["activation"],
                              description="activation"),
        batch_size=W.Dropdown(options=sorted(set(sizes) | {int(s["batch_size"])}),
                              value=int(s["batch_size"]), description="batch size"),
        epochs=W.IntSlider(value=s["epochs"], min=1, max=max(100, s["epochs"]),
                           description="epochs"),
        optimizer=W.Dropdown(options=("sgd", "momentum", "adam"), value=s["optimizer"],
                             description="optimizer"))


def parse_hidden_sizes(text):
    """"64, 32" -> (64, 32); "" -> () (no hidden layer). Raises ValueError with a clear message."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not all(p.isdigit() and int(p) >= 1 for p in parts):
        raise ValueError(f"Hidden sizes must be whole numbers ≥ 1 separated by commas, "
                         f"e.g. 64,32 — got “{text}”.")
    return tuple(int(p) for p in parts)


def _read_settings(controls):
    s = {k: c.value for k, c in controls.items()}
    s["hidden_sizes"] = parse_hidden_sizes(s["hidden_sizes"])
    return s


def _make_net(X, y, y_val, run, fixed):
    X, y = np.asarray(X), np.asarray(y)
    if y.ndim == 2:
        n_out = y.shape[1]
    else:
        top = int(max(y.max(), -1 if y_val is None else np.asarray(y_val).max()))
        n_out = 1 if fixed["output"] != "softmax" and top <= 1 else top + 1
    sizes = [X.reshape(len(X), -1).shape[1], *run["hidden_sizes"], n_out]
    return MLP(sizes, activation=run["activation"], **fixed)


def _run_label(run):
    hidden = ",".join(map(str, run["hidden_sizes"])) or "none"
    return (f"lr {run['learning_rate']:.3g}, [{hidden}], {run['activation']}, "
            f"{run['optimizer']}, batch {run['batch_size']}")


def _draw_runs(axes, runs):
    """Loss (left) and accuracy (right, validation dashed) of each run; the newest opaque."""
    ax_loss, ax_acc = axes
    ax_loss.clear(), ax_acc.clear()
    for i, run in enumerate(runs):
        h, newest = run["history"], i == len(runs) - 1
        style = dict(color=plots.PALETTE[i % len(plots.PALETTE)], alpha=1.0 if newest else 0.35,
                     lw=2.0 if newest else 1.2)
        ax_loss.plot(h["epoch"], h["loss"], label=_run_label(run) if i >= len(runs) - 4 else None,
                     **style)
        ax_acc.plot(h["epoch"], h["accuracy"], **style)
        if any(v is not None for v in h["val_accuracy"]):
            ax_acc.plot(h["epoch"], [np.nan if v is None else v for v in h["val_accuracy"]],
                        ls="--", **style)
    if not runs:
        for ax in axes:
            ax.text(0.5, 0.5, "Press Train to start", ha="center", va="center", fontsize=12,
                    color="0.5", transform=ax.transAxes)
    else:
        ax_loss.legend(frameon=False, fontsize=8)
        ax_acc.plot([], [], color="0.3", label="train")
        ax_acc.plot([], [], "--", color="0.3", label="validation")
        ax_acc.legend(frameon=False, fontsize=8, loc="lower right")
    plots._integer_epochs(ax_loss), plots._integer_epochs(ax_acc)
    plots._style(ax_loss, "Training loss", "epoch", "loss")
    plots._style(ax_acc, "Accuracy", "epoch", "accuracy")


def _progress(run, logs):
    return (f"epoch {logs['epoch']}/{run['epochs']}: loss {logs['loss']:.4f}, "
            f"accuracy {logs['accuracy']:.3f}")


def _summary(run):
    h = run["history"]
    text = f"Done: {len(h['epoch'])} epochs, train accuracy {h['accuracy'][-1]:.3f}"
    if h["val_accuracy"] and h["val_accuracy"][-1] is not None:
        text += f", validation accuracy {h['val_accuracy'][-1]:.3f}"
    if getattr(h, "stopped_early", False):
        text += " (stopped)"
    return text + "."
