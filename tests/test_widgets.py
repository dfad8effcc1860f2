"""mlp.book.widgets: build every widget headless, drive its controls, check what the figure shows."""
import re
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mlp  # noqa: E402
from mlp.book import widgets  # noqa: E402


def blobs(n=60, seed=0):
    """Two separable Gaussian blobs in 2-D: X (n, 2), y (n,)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 2)) * 0.5 + np.where(y[:, None] == 1, 1.5, -1.5)
    return X.astype(np.float32), y


def has_png(out):
    return len(out.outputs) == 1 and "image/png" in out.outputs[0]["data"]


# ---- neuron explorer ------------------------------------------------------------------------
def test_neuron_explorer_draws_f_of_wx_plus_b_and_its_derivative():
    box = widgets.neuron_explorer()
    assert has_png(box.output)
    curve, deriv = box.fig.axes[0].lines[:2]
    np.testing.assert_allclose(curve.get_ydata(), 1 / (1 + np.exp(-box.x)), rtol=1e-5)
    box.controls["w"].value, box.controls["b"].value = 2.0, -1.0
    z = 2.0 * box.x - 1.0
    curve, deriv = box.fig.axes[0].lines[:2]
    a = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(curve.get_ydata(), a, rtol=1e-5)
    np.testing.assert_allclose(deriv.get_ydata(), a * (1 - a), rtol=1e-4, atol=1e-7)
    assert "w = 2.0, b = -1.0" == box.fig.axes[0].get_title()


def test_neuron_explorer_switches_activation():
    box = widgets.neuron_explorer("tanh")
    box.controls["activation"].value = "relu"
    box.controls["w"].value = -1.5
    np.testing.assert_allclose(box.fig.axes[0].lines[0].get_ydata(), np.maximum(-1.5 * box.x, 0),
                               atol=1e-6)
    assert set(box.controls["activation"].options) == {"step", "sigmoid", "tanh", "relu",
                                                       "leaky_relu"}


# ---- bump explorer --------------------------------------------------------------------------
def test_bump_explorer_is_a_sigmoid_network_summing_bumps():
    box = widgets.bump_explorer(n_bumps=4, steepness=30.0)
    assert has_png(box.output) and box.net.sizes == [1, 8, 1]
    x, target = box.x, (lambda x: np.sin(3 * np.pi * x) * (1 - x) + x)
    edges = np.linspace(0, 1, 5)
    heights = target((edges[:-1] + edges[1:]) / 2)
    edges[0], edges[-1] = -1.0, 2.0
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    k = 30.0 * 4
    bumps = (s(k * (x[:, None] - edges[:-1])) - s(k * (x[:, None] - edges[1:]))) * heights
    ax = box.fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), target(x))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), bumps.sum(axis=1), atol=1e-9)
    np.testing.assert_allclose(ax.lines[2].get_ydata(), bumps[:, 0], atol=1e-9)  # the first bump
    assert box.max_error == pytest.approx(np.max(np.abs(bumps.sum(axis=1) - target(x))))
    assert f"max error {box.max_error:.3f}" in ax.get_title()


def test_bump_explorer_error_shrinks_with_more_bumps_and_takes_a_target():
    box = widgets.bump_explorer(lambda x: x ** 2, n_bumps=2)
    few = box.max_error
    box.controls["n_bumps"].value = 32
    assert box.net.sizes == [1, 64, 1] and box.max_error < few / 8
    box.controls["steepness"].value = 1.0  # soft steps blur the staircase
    assert box.max_error > 0.05 and "64 hidden sigmoids" in box.fig.axes[0].get_title()


# ---- decision boundary playground -----------------------------------------------------------
def test_playground_trains_at_construction_and_on_click():
    X, y = blobs()
    box = widgets.decision_boundary_playground(X, y, epochs=20, resolution=40)
    assert isinstance(box.net, mlp.MLP) and box.net.sizes == [2, 8, 2]
    assert has_png(box.output)
    ax_b, ax_l = box.fig.axes[:2]
    assert ax_b.decision_grid[2].shape == (40, 40)
    np.testing.assert_allclose(ax_l.lines[0].get_ydata(), box.history["loss"])
    box.controls["hidden_size"].value, box.controls["n_layers"].value = 5, 2
    box.controls["activation"].value, box.controls["epochs"].value = "relu", 10
    box.children[1].children[-1].click()  # the Train button
    assert box.net.sizes == [2, 5, 5, 2] and len(box.history["loss"]) == 10
    assert box.net.config["activation"][0]["name"] == "relu"
    assert box.net.accuracy(X, y) > 0.9


def test_playground_default_settings_are_fast_on_300_points():
    X, y = blobs(300, seed=1)
    start = time.process_time()
    box = widgets.decision_boundary_playground(X, y)
    assert time.process_time() - start < 3.0
    assert len(box.history["loss"]) == 300 and box.history["loss"][-1] < box.history["loss"][0]


# ---- digit browser --------------------------------------------------------------------------
def test_digit_browser_steps_through_examples():
    rng = np.random.default_rng(0)
    images = rng.random((5, 784))
    labels, preds = np.array([1, 2, 3, 4, 5]), np.array([1, 7, 3, 4, 0])
    probs = rng.dirichlet(np.ones(10), 5)
    box = widgets.digit_browser(images, labels, preds, probs)
    ax_img, ax_p = box.fig.axes
    np.testing.assert_array_equal(ax_img.images[0].get_array(), images[0].reshape(28, 28))
    box.controls["index"].value = 1
    ax_img, ax_p = box.fig.axes
    np.testing.assert_array_equal(ax_img.images[0].get_array(), images[1].reshape(28, 28))
    assert ax_img.get_title() == "label 2, predicted 7"
    np.testing.assert_allclose([r.get_height() for r in ax_p.patches], probs[1])
    assert box.controls["play"].max == 4 and has_png(box.output)


def test_digit_browser_without_probabilities():
    box = widgets.digit_browser(np.zeros((2, 28, 28)), [0, 1], [0, 1])
    assert len(box.fig.axes) == 1
    box.show(1)
    assert box.fig.axes[0].get_title() == "label 1, predicted 1"


# ---- training panel -------------------------------------------------------------------------
def panel(**kwargs):
    X, y = blobs(80)
    kwargs = {"hidden_sizes": (4,), "epochs": 5, **kwargs}
    return widgets.training_panel(X, y, X[:20], y[:20], **kwargs)


def test_training_panel_starts_empty_with_a_hint():
    box = panel()
    assert box.runs == [] and has_png(box.output)
    assert any("Press Train" in t.get_text() for t in box.fig.axes[0].texts)
    assert set(box.controls) == {"learning_rate", "hidden_sizes", "activation", "batch_size",
                                 "epochs", "optimizer"}


def test_training_panel_blocking_run_plots_the_history():
    box = panel(epochs=6, optimizer="adam", learning_rate=0.01)
    run = box.train(block=True)
    h = run["history"]
    assert isinstance(h, mlp.History) and len(h["loss"]) == 6 and box.runs == [run]
    assert run["optimizer"] == "adam" and run["hidden_sizes"] == (4,)
    assert run["net"].sizes == [2, 4, 2]
    ax_loss, ax_acc = box.fig.axes
    np.testing.assert_allclose(ax_loss.lines[0].get_ydata(), h["loss"])
    np.testing.assert_allclose(ax_acc.lines[0].get_ydata(), h["accuracy"])
    np.testing.assert_allclose(ax_acc.lines[1].get_ydata(), h["val_accuracy"])  # dashed
    assert ax_acc.lines[1].get_linestyle() == "--"
    assert "validation accuracy" in box.status.value and "Done: 6 epochs" in box.status.value


def test_training_panel_keeps_previous_runs_faded_and_clears():
    box = panel()
    box.train(block=True)
    box.controls["hidden_sizes"].value = "6, 3"
    box.controls["learning_rate"].value = 0.05
    second = box.train(block=True)
    assert second["net"].sizes == [2, 6, 3, 2] and len(box.runs) == 2
    old, new = box.fig.axes[0].lines[:2]
    assert old.get_alpha() < new.get_alpha() == 1.0
    box.buttons["clear"].click()
    assert box.runs == [] and len(box.fig.axes[0].lines) == 0


def test_training_panel_reports_bad_hidden_sizes_in_the_panel():
    box = panel()
    box.controls["hidden_sizes"].value = "64,abc"
    assert box.train(block=True) is None and box.runs == []
    assert "whole numbers" in box.status.value and "64,abc" in box.status.value
    assert widgets.parse_hidden_sizes(" 64, 32 ") == (64, 32)
    assert widgets.parse_hidden_sizes("") == ()
    with pytest.raises(ValueError):
        widgets.parse_hidden_sizes("0")


def test_training_panel_shows_errors_in_the_status_line():
    X, y = blobs(40)
    X[3, 1] = np.nan
    box = widgets.training_panel(X, y, hidden_sizes=(4,), epochs=3)
    run = box.train(block=True)
    assert "NaN" in run["error"] and "ValueError" in box.status.value
    assert not run["running"] and box.buttons["train"].disabled is False


def test_training_panel_stop_button_stops_a_threaded_run():
    X, y = blobs(200)
    box = widgets.training_panel(X, y, hidden_sizes=(8,), epochs=5000, batch_size=8)
    box.buttons["train"].click()  # starts a background thread
    thread = box.thread
    assert thread.is_alive() and box.buttons["stop"].disabled is False
    start = time.time()
    while time.time() - start < 0.8 or len(box.runs[-1]["history"]["epoch"]) < 2:
        time.sleep(0.02)  # let it train for a while
        assert time.time() - start < 20
    with box.panel.lock:  # the plot and status were updated live, from the thread
        assert len(box.fig.axes[0].lines[-1].get_ydata()) >= 1
    assert box.status.value.startswith("epoch ")
    assert box.train(block=True) is None  # a second run cannot start meanwhile
    assert "Already training" in box.status.value
    box.buttons["stop"].click()
    thread.join(timeout=10)
    assert not thread.is_alive()
    h = box.runs[-1]["history"]
    assert 1 <= len(h["epoch"]) < 5000 and h.stopped_early and "(stopped)" in box.status.value
    assert box.buttons["train"].disabled is False
    np.testing.assert_allclose(box.fig.axes[0].lines[-1].get_ydata(), h["loss"])


def test_training_panel_flattens_image_inputs():
    rng = np.random.default_rng(0)
    images, labels = rng.random((30, 4, 4)), np.arange(30) % 3
    box = widgets.training_panel(images, labels, images[:6], labels[:6], hidden_sizes=(), epochs=2)
    run = box.train(block=True)
    assert run["net"].sizes == [16, 3] and len(run["history"]["val_accuracy"]) == 2


def test_training_panel_run_has_a_short_repr():
    run = panel(epochs=2).train(block=True)
    pattern = r"Run\(lr 0.1, \[4\], relu, sgd, batch 32: 2 epochs, accuracy [01]\.\d{4}\)"
    assert re.fullmatch(pattern, repr(run))
