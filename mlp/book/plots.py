"""The book's shared figures, in one consistent style (matplotlib, imported only when you plot).

Colours follow the Okabe-Ito palette (safe for colour-blind readers); signed quantities (weights)
use a symmetric diverging map centred on 0. Every function draws on ``ax`` if given (or a new
figure) and returns the Axes — or the Figure, when it drew several Axes.
"""
import numpy as np

from .. import metrics
from ..activations import get_activation
#: Okabe-Ito colours: blue, orange, green, vermillion, purple, sky blue, yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
WRONG = "#D55E00"      # vermillion marks a wrong prediction
DIVERGING = "RdBu_r"   # weights: blue negative, white 0, red positive
SEQUENTIAL = "Blues"   # counts
PATH_COLORS = (PALETTE[1], PALETTE[5], PALETTE[4], PALETTE[3], "#FFFFFF")  # visible on viridis


def _plt():
    import matplotlib.pyplot as plt
    return plt


def _axes(ax, figsize=(5, 4)):
    """``ax`` or the Axes of a new figure."""
    return ax if ax is not None else _plt().subplots(figsize=figsize, layout="constrained")[1]


def _style(ax, title=None, xlabel=None, ylabel=None, grid=True):
    """The house style: readable title and labels, a light grid, no top/right spines."""
    if title:
        ax.set_title(title, fontsize=12)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=11)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=11)
    ax.tick_params(labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if grid:
        ax.grid(True, alpha=0.3, linewidth=0.6)
    return ax


def _integer_epochs(ax):
    """Whole-number ticks on the x axis (epochs)."""
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _grid_axes(n, n_cols, fig=None, ax=None, cell=1.1):
    """n small image Axes in a grid with n_cols columns: in ``fig``, in place of ``ax``, or new."""
    n_cols = max(1, min(n_cols, n))
    n_rows = -(-n // n_cols)
    if ax is not None:
        fig, spec = ax.figure, ax.get_subplotspec()
        ax.remove()
        gs = spec.subgridspec(n_rows, n_cols)
    else:
        size = (n_cols * cell, n_rows * cell * 1.2)
        fig = fig or _plt().figure(figsize=size, layout="constrained")
        gs = fig.add_gridspec(n_rows, n_cols)
    return fig, [fig.add_subplot(gs[i // n_cols, i % n_cols]) for i in range(n)]


def _as_images(images, shape=None):
    """(n, h*w) or (n, h, w) to (n, h, w); a square side is guessed when shape is None."""
    images = np.asarray(images)
    if images.ndim == 3:
        return images
    if images.ndim == 1:
        images = images[None]
    side = int(round(np.sqrt(images.shape[1])))
    shape = shape or (side, images.shape[1] // side)
    return images.reshape(len(images), *shape)


# ---- chapter 2 -------------------------------------------------------------------------------
def activation_curves(names, ax=None, z=np.linspace(-5, 5, 401), derivative=False):
    """Plot activations f(z) (and f'(z) dashed if derivative, or only f' if "only"); chapter 2.

    names: an activation name / object or a list of them; z: (n,) inputs.
    """
    ax = _axes(ax, (5.5, 3.8))
    names = [names] if isinstance(names, str) or not np.iterable(names) else list(names)
    z = np.asarray(z, dtype=float)
    for i, name in enumerate(names):
        f = get_activation(name)
        a = f.forward(z[:, None])
        color = PALETTE[i % len(PALETTE)]
        if derivative != "only":
            ax.plot(z, a[:, 0], color=color, lw=2, label=f.name)
        if derivative:
            ax.plot(z, f.derivative(z[:, None], a)[:, 0], color=color, lw=1.6, ls="--",
                    label=f"{f.name}′")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(0, color="0.5", lw=0.8)
    ax.legend(frameon=False, fontsize=10)
    ylabel = "f′(z)" if derivative == "only" else ("f(z), f′(z)" if derivative else "f(z)")
    return _style(ax, "Activation functions", "z", ylabel)


# ---- chapter 5 -------------------------------------------------------------------------------
def _surface_values(f, xx, yy):
    """f on a grid: vectorised f(x, y) if that works, else f(w) point by point with w = (x, y)."""
    try:
        Z = np.asarray(f(xx, yy), dtype=float)
        if Z.shape == xx.shape:
            return Z
    except Exception:
        pass
    points = np.stack([xx.ravel(), yy.ravel()], axis=1)
    return np.array([float(f(w)) for w in points]).reshape(xx.shape)


def loss_surface(f, xlim, ylim, path=None, ax=None, levels=20, resolution=150,
                 xlabel="w₁", ylabel="w₂", title="Loss surface"):
    """Filled contours of a 2-D function with an optional optimisation path; chapter 5.

    f: f(x, y) on grids (vectorised) or f(w) of a point w (2,); xlim, ylim: (min, max);
    path: (k, 2) points, or a dict {label: (k, 2) points} for several optimisers.
    Contour levels are quantiles of the values, so steep and flat regions both show.
    """
    ax = _axes(ax, (5.5, 4.5))
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    Z = _surface_values(f, xx, yy)
    if np.isscalar(levels):
        levels = np.unique(np.quantile(Z[np.isfinite(Z)], np.linspace(0, 1, int(levels) + 1)))
    from matplotlib.colors import BoundaryNorm
    norm = BoundaryNorm(levels, 256)  # one colour step per band, however uneven the levels
    ax.contourf(xx, yy, Z, levels=levels, cmap="viridis", norm=norm, alpha=0.9)
    ax.contour(xx, yy, Z, levels=levels, colors="white", linewidths=0.5, alpha=0.6)
    paths = path if isinstance(path, dict) else ({} if path is None else {None: path})
    for i, (label, p) in enumerate(paths.items()):
        _draw_path(ax, np.asarray(p, dtype=float), PATH_COLORS[i % len(PATH_COLORS)], label)
    if any(label is not None for label in paths):
        ax.legend(frameon=True, fontsize=9)
    ax.set(xlim=xlim, ylim=ylim)
    return _style(ax, title, xlabel, ylabel, grid=False)


def _draw_path(ax, p, color, label):
    """An optimisation path: line with small dots, a circle at the start, a star at the end."""
    ax.plot(p[:, 0], p[:, 1], "-", color=color, lw=1.8, marker=".", ms=4, label=label)
    ax.plot(*p[0], "o", color=color, mec="black", ms=7)
    ax.plot(*p[-1], "*", color=color, mec="black", ms=13)


# ---- chapter 7 -------------------------------------------------------------------------------
def _model_output(model, points):
    """(values, kind) on points (m, 2): kind "proba" (P(class 1)) or "class" (labels)."""
    out = model.predict_proba(points) if hasattr(model, "predict_proba") else model(points)
    out = np.asarray(out)
    if out.ndim == 2 and out.shape[1] == 2:
        return out[:, 1], "proba"
    if out.ndim == 2 and out.shape[1] > 2:
        return out.argmax(axis=1), "class"
    out = out.reshape(len(points))
    if out.dtype.kind == "f" and out.min() >= 0 and out.max() <= 1 and np.any(out != np.round(out)):
        return out, "proba"
    return out.astype(np.int64), "class"


def _two_colour_map():
    from matplotlib.colors import LinearSegmentedColormap
    return LinearSegmentedColormap.from_list("mlp_binary", [PALETTE[0], "#f7f7f7", PALETTE[1]])


def decision_boundary(predict_fn_or_net, X, y, ax=None, resolution=200, padding=0.5):
    """The regions a classifier assigns to each class, with the data on top; chapter 7.

    predict_fn_or_net: a net with predict_proba, or f(points (m, 2)) -> probabilities (m,) /
    (m, k) or labels (m,). X: (N, 2); y: (N,) labels. Two classes are shaded by P(class 1)
    with the 0.5 line drawn; more classes by the predicted label. The grid and values are
    kept as ``ax.decision_grid = (xx, yy, Z)``, each (resolution, resolution).
    """
    ax = _axes(ax, (5, 4.5))
    X, y = np.asarray(X, dtype=float), np.asarray(y).reshape(-1).astype(np.int64)
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    values, kind = _model_output(predict_fn_or_net, np.c_[xx.ravel(), yy.ravel()])
    Z = values.reshape(xx.shape)
    if kind == "proba":
        ax.contourf(xx, yy, Z, levels=np.linspace(0, 1, 11), cmap=_two_colour_map(), alpha=0.55)
        ax.contour(xx, yy, Z, levels=[0.5], colors="black", linewidths=1.2)
    else:
        _class_regions(ax, xx, yy, Z, max(int(y.max()), int(Z.max())) + 1)
    for k in np.unique(y):
        ax.scatter(*X[y == k].T, s=22, color=PALETTE[k % len(PALETTE)], edgecolor="black",
                   linewidth=0.6, label=f"class {k}", zorder=3)
    ax.legend(frameon=True, fontsize=9, loc="best")
    ax.decision_grid = (xx, yy, Z)
    return _style(ax, "Decision boundary", "x₁", "x₂", grid=False)


def _class_regions(ax, xx, yy, Z, n_classes):
    from matplotlib.colors import ListedColormap
    cmap = ListedColormap([PALETTE[k % len(PALETTE)] for k in range(n_classes)])
    ax.contourf(xx, yy, Z, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.3)
    ax.contour(xx, yy, Z, levels=np.arange(n_classes) + 0.5, colors="black", linewidths=0.8)


# ---- chapter 9 -------------------------------------------------------------------------------
def learning_curves(histories, labels=None, keys=("loss",), ax=None):
    """Per-epoch curves of one or several training runs; chapter 9.

    histories: an mlp History (or dict of lists), a list of them, or a dict {label: History};
    labels: one per run (default: "run 1", ... or the dict's keys);
    keys: e.g. ("loss", "accuracy"); a tuple entry like ("accuracy", "val_accuracy") shares
    one subplot (validation dashed). One subplot per key unless ``ax`` is given.
    Returns the Axes, or the Figure when several were drawn.
    """
    values = histories.values() if isinstance(histories, dict) else ()
    if values and all(isinstance(h, dict) for h in values):
        labels, histories = list(histories), list(histories.values())
    histories = [histories] if isinstance(histories, dict) else list(histories)
    labels = list(labels) if labels is not None else [f"run {i + 1}" for i in range(len(histories))]
    groups = [(k,) if isinstance(k, str) else tuple(k) for k in keys]
    if ax is None:
        fig, axes = _plt().subplots(1, len(groups), figsize=(4.6 * len(groups), 3.6),
                                    layout="constrained", squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(ax) if np.iterable(ax) else [ax] * len(groups)
    for a, group in zip(axes, groups):
        _draw_curves(a, histories, labels, group)
    return axes[0] if len(set(map(id, axes))) == 1 else axes[0].figure


def _draw_curves(ax, histories, labels, group):
    """One subplot: a colour per run, a line style per key (val_ keys dashed)."""
    for i, (h, label) in enumerate(zip(histories, labels)):
        for key in group:
            values = [np.nan if v is None else float(v) for v in h.get(key, [])]
            if not values or np.all(np.isnan(values)):
                continue
            epochs = h.get("epoch") or list(range(1, len(values) + 1))
            name = label if len(histories) > 1 else None
            if len(group) > 1:
                name = f"{label}: {key}" if name else key
            ax.plot(epochs[:len(values)], values, color=PALETTE[i % len(PALETTE)], lw=1.8,
                    ls="--" if key.startswith("val_") else "-", label=name)
    if any(line.get_label() and not line.get_label().startswith("_") for line in ax.lines):
        ax.legend(frameon=False, fontsize=9)
    _integer_epochs(ax)
    title = " / ".join(k.replace("_", " ") for k in group)
    return _style(ax, title.capitalize(), "epoch", group[0].replace("val_", ""))


def digit_grid(images, labels=None, predictions=None, n_cols=10, fig=None, ax=None,
               class_names=None, n=None):
    """Small images in a grid, titled with label / prediction (wrong ones in red); chapter 9.

    images: (n, 784) or (n, 28, 28); labels, predictions: (n,) or None; ``n`` limits how many.
    Draws in ``fig``, in the place of ``ax``, or in a new figure; returns the Figure.
    """
    images = _as_images(images)[:n]
    fig, axes = _grid_axes(len(images), n_cols, fig, ax)
    vmax = 1.0 if images.max() <= 1 else float(images.max())
    name = _namer(class_names)
    for i, (a, img) in enumerate(zip(axes, images)):
        a.imshow(img, cmap="gray_r", vmin=0, vmax=vmax)
        a.set_xticks([]), a.set_yticks([])
        wrong = labels is not None and predictions is not None and labels[i] != predictions[i]
        parts = [name(v[i]) for v in (labels, predictions) if v is not None]
        a.set_title(" / ".join(parts), fontsize=10, color=WRONG if wrong else "black",
                    fontweight="bold" if wrong else "normal")
    if labels is not None and predictions is not None:
        fig.suptitle("label / prediction (wrong in red)", fontsize=11)
    return fig


def _namer(class_names):
    """k -> its class name, or the number itself as text."""
    return lambda k: str(int(k)) if class_names is None else str(class_names[int(k)])


def confusion_matrix(y_true, y_pred, ax=None, class_names=None):
    """Annotated heat map of the confusion matrix, rows = true class; chapter 9.

    y_true, y_pred: (N,) integer labels. The image data is the (n, n) count matrix.
    """
    n = len(class_names) if class_names is not None else None
    cm = metrics.confusion_matrix(y_true, y_pred, n_classes=n)
    n = cm.shape[0]
    ax = _axes(ax, (0.42 * n + 1.6, 0.42 * n + 1.3))
    ax.imshow(cm, cmap=SEQUENTIAL, norm=_count_norm(cm))
    for (i, j), count in np.ndenumerate(cm):
        if count:
            dark = count > 0.35 * cm.max()
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8 if n > 6 else 10,
                    color="white" if dark else "black")
    names = [str(c) for c in (class_names if class_names is not None else range(n))]
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 2 else 0)
    ax.set_yticks(range(n), names)
    accuracy = np.trace(cm) / max(cm.sum(), 1)
    return _style(ax, f"Confusion matrix (accuracy {accuracy:.1%})", "predicted", "true",
                  grid=False)


def _count_norm(cm):
    """A square-root colour scale, so that the large off-diagonal counts stand out too."""
    from matplotlib.colors import PowerNorm
    return PowerNorm(gamma=0.5, vmin=0, vmax=max(int(cm.max()), 1))


def weight_images(W, shape=(28, 28), n=16, fig=None, ax=None, n_cols=8):
    """The first n columns of W (n_in, n_out) as images, 0 = white, blue < 0 < red; chapter 9.

    W may also be an MLP (its first layer is used). Each image has its own symmetric scale.
    Returns the Figure.
    """
    W = np.asarray(W.layers[0].W if hasattr(W, "layers") else W)
    n = min(n, W.shape[1])
    fig, axes = _grid_axes(n, n_cols, fig, ax)
    for j, a in enumerate(axes):
        v = float(np.abs(W[:, j]).max()) or 1.0
        a.imshow(W[:, j].reshape(shape), cmap=DIVERGING, vmin=-v, vmax=v)
        a.set_xticks([]), a.set_yticks([])
        a.set_title(f"unit {j}", fontsize=9)
    return fig


# ---- chapter 12 ------------------------------------------------------------------------------
def probability_bars(p, ax=None, class_names=None, label=None):
    """Bar chart of class probabilities (k,) with the argmax highlighted; chapter 12.

    label: the true class, if known: its tick is bold, and a wrong argmax is drawn in red.
    """
    p = np.asarray(p, dtype=float).reshape(-1)
    ax = _axes(ax, (5, 3))
    top = int(p.argmax())
    colors = ["#BBBBBB"] * len(p)
    colors[top] = WRONG if label is not None and int(label) != top else PALETTE[0]
    ax.bar(range(len(p)), p, color=colors, edgecolor="black", linewidth=0.5)
    ax.text(top, p[top] + 0.02, f"{p[top]:.2f}", ha="center", va="bottom", fontsize=9)
    names = [str(c) for c in (class_names if class_names is not None else range(len(p)))]
    ax.set_xticks(range(len(p)), names, rotation=45 if max(map(len, names)) > 2 else 0)
    if label is not None:
        ax.get_xticklabels()[int(label)].set_fontweight("bold")
    ax.set_ylim(0, 1.1)
    title = "Predicted probabilities"
    title += "" if label is None else f" (true class {names[int(label)]})"
    _style(ax, title, "class", "probability")
    ax.grid(False, axis="x")
    return ax
