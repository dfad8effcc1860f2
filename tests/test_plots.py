"""mlp.book.plots: each figure draws exactly the data it was given (headless, Agg backend)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mlp  # noqa: E402
from mlp.book import plots  # noqa: E402
from mlp.activations import get_activation  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def history(n, seed=0):
    rng = np.random.default_rng(seed)
    h = mlp.History()
    for e in range(1, n + 1):
        h.append(dict(epoch=e, loss=float(rng.random()), accuracy=float(rng.random())))
    return h


def test_importing_plots_and_widgets_needs_neither_matplotlib_nor_ipywidgets():
    import subprocess
    import sys
    code = ("import sys, mlp, mlp.book.plots, mlp.book.widgets, mlp.metrics, mlp.book.exercises; "
            "print({'matplotlib', 'ipywidgets'} & set(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "set()"


def test_learning_curves_one_history_one_axes():
    h = history(7)
    ax = plots.learning_curves(h)
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_ydata(), h["loss"])
    np.testing.assert_array_equal(line.get_xdata(), h["epoch"])
    assert ax.get_xlabel() == "epoch" and ax.get_title() == "Loss"


def test_learning_curves_several_runs_and_keys_give_a_figure_with_one_subplot_per_key():
    runs = [history(5, 0), history(8, 1)]
    fig = plots.learning_curves(runs, labels=["a", "b"], keys=("loss", "accuracy"))
    ax_loss, ax_acc = fig.axes
    assert [l.get_label() for l in ax_loss.lines] == ["a", "b"]
    for line, h in zip(ax_acc.lines, runs):
        np.testing.assert_allclose(line.get_ydata(), h["accuracy"])
    assert ax_loss.lines[0].get_color() != ax_loss.lines[1].get_color()


def test_learning_curves_grouped_keys_dash_validation_and_skip_missing_ones():
    h = history(4)
    h["val_accuracy"] = [0.1, 0.2, 0.3, 0.4]
    ax = plots.learning_curves(h, keys=[("accuracy", "val_accuracy", "val_loss")])
    assert [l.get_label() for l in ax.lines] == ["accuracy", "val_accuracy"]  # val_loss: all None
    assert ax.lines[1].get_linestyle() == "--"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), h["val_accuracy"])


def test_learning_curves_on_given_axes_and_plain_dicts():
    fig, ax = plt.subplots()
    out = plots.learning_curves({"loss": [3.0, 2.0, 1.0]}, ax=ax)
    assert out is ax
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])


def test_digit_grid_draws_one_titled_image_per_example_wrong_in_red():
    rng = np.random.default_rng(0)
    images = rng.random((12, 784))
    labels = np.arange(12) % 10
    preds = labels.copy()
    preds[4] = 9
    fig = plots.digit_grid(images, labels, preds, n_cols=5)
    assert len(fig.axes) == 12
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), images[3].reshape(28, 28))
    assert fig.axes[4].get_title() == "4 / 9"
    assert fig.axes[4].title.get_color() == plots.WRONG
    assert fig.axes[0].title.get_color() == "black"


def test_digit_grid_accepts_28x28_no_labels_and_draws_in_place_of_an_axes():
    images = np.zeros((3, 28, 28), np.uint8)
    fig, ax = plt.subplots()
    out = plots.digit_grid(images, ax=ax, n=2)
    assert out is fig and len(fig.axes) == 2 and fig.axes[0].get_title() == ""
    fig = plots.digit_grid(images, labels=[1, 2, 3], class_names=list("abcd"))
    assert [a.get_title() for a in fig.axes] == ["b", "c", "d"]


def test_confusion_matrix_image_is_the_count_matrix_with_annotations():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    ax = plots.confusion_matrix(y_true, y_pred, class_names=["cat", "dog", "owl"])
    counts = mlp.metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    texts = {t.get_text() for t in ax.texts}
    assert texts == {"1", "2"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "owl"]
    assert ax.get_ylabel() == "true" and ax.get_xlabel() == "predicted"
    assert "66.7%" in ax.get_title()


def test_decision_boundary_two_classes_shades_probability():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    net = mlp.MLP([2, 4, 2], activation="tanh", output="softmax", loss="cross_entropy")
    ax = plots.decision_boundary(net, X, y, resolution=30)
    xx, yy, Z = ax.decision_grid
    assert xx.shape == yy.shape == Z.shape == (30, 30)
    np.testing.assert_allclose(Z.ravel(), net.predict_proba(np.c_[xx.ravel(), yy.ravel()])[:, 1],
                               rtol=1e-6)
    assert xx.min() == pytest.approx(X[:, 0].min() - 0.5)
    scattered = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_sizes")
                    and len(c.get_sizes()))
    assert scattered == 40


def test_decision_boundary_function_returning_labels_multiclass():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 1.0]])
    y = np.array([0, 1, 2])
    ax = plots.decision_boundary(lambda P: np.digitize(P[:, 0], [0.5, 1.5]), X, y, resolution=20,
                                 padding=0.0)
    xx, yy, Z = ax.decision_grid
    assert Z.dtype.kind == "i" and set(np.unique(Z)) == {0, 1, 2}
    np.testing.assert_array_equal(Z[0], np.digitize(xx[0], [0.5, 1.5]))


def test_activation_curves_plot_f_and_derivative():
    z = np.linspace(-3, 3, 61)
    ax = plots.activation_curves(["sigmoid", "relu"], z=z, derivative=True)
    sig, dsig, relu, drelu = ax.lines[:4]
    np.testing.assert_allclose(sig.get_ydata(), 1 / (1 + np.exp(-z)), rtol=1e-6)
    np.testing.assert_allclose(dsig.get_ydata(), sig.get_ydata() * (1 - sig.get_ydata()), rtol=1e-5)
    np.testing.assert_allclose(relu.get_ydata(), np.maximum(z, 0))
    assert dsig.get_linestyle() == "--" and sig.get_label() == "sigmoid"
    only = plots.activation_curves("tanh", derivative="only", z=z)
    np.testing.assert_allclose(only.lines[0].get_ydata(), 1 - np.tanh(z) ** 2, rtol=1e-5)
    act = plots.activation_curves([get_activation({"name": "leaky_relu", "alpha": 0.1})], z=z)
    np.testing.assert_allclose(act.lines[0].get_ydata(), np.where(z > 0, z, 0.1 * z), rtol=1e-6)


def test_weight_images_columns_as_images_with_symmetric_scale():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(784, 20))
    fig = plots.weight_images(W, n=6)
    assert len(fig.axes) == 6
    im = fig.axes[2].images[0]
    np.testing.assert_array_equal(im.get_array(), W[:, 2].reshape(28, 28))
    vmin, vmax = im.get_clim()
    assert vmin == -vmax == -np.abs(W[:, 2]).max()
    net = mlp.MLP([16, 3, 2])
    fig = plots.weight_images(net, shape=(4, 4))
    assert len(fig.axes) == 3
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(),
                                  net.layers[0].W[:, 0].reshape(4, 4))


def test_probability_bars_highlight_argmax():
    p = np.array([0.05, 0.1, 0.6, 0.25])
    ax = plots.probability_bars(p, class_names=list("abcd"))
    heights = [r.get_height() for r in ax.patches]
    np.testing.assert_allclose(heights, p)
    colors = [r.get_facecolor() for r in ax.patches]
    assert colors[2] != colors[0] and colors[0] == colors[1] == colors[3]
    wrong = plots.probability_bars(p, label=3)
    assert matplotlib.colors.to_hex(wrong.patches[2].get_facecolor()) == plots.WRONG.lower()
    assert "true class 3" in wrong.get_title()


def test_loss_surface_vectorised_or_pointwise_and_path():
    path = np.array([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]])
    ax = plots.loss_surface(lambda x, y: x ** 2 + 3 * y ** 2, (-2, 2), (-1, 1), path=path)
    np.testing.assert_array_equal(ax.lines[0].get_xydata(), path)
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 1)
    ax2 = plots.loss_surface(lambda w: float(w @ w), (-1, 1), (-1, 1), resolution=20,
                             path={"sgd": path, "adam": path[::-1]})
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == ["sgd", "adam"]


def test_surface_values_agree_between_vectorised_and_pointwise():
    xx, yy = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(0, 2, 4))
    a = plots._surface_values(lambda x, y: x * y + y, xx, yy)
    b = plots._surface_values(lambda w: w[0] * w[1] + w[1], xx, yy)
    np.testing.assert_allclose(a, b)
    assert a.shape == (4, 5)


def test_learning_curves_from_a_dict_of_runs_uses_its_keys_as_labels():
    runs = {"sgd": history(3, 0), "adam": history(3, 1)}
    fig = plots.learning_curves(runs, keys=("loss", "accuracy"))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["sgd", "adam"]
