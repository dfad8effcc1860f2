"""The online book's JavaScript engine (book/live/mlp.js) computes what mlp computes.

mlp.js is run in headless Chromium (tools/browser.py) on networks exported from mlp in float64
(mlp.book.web.to_dict(net, "float64")), so both sides start from the same weights:

* for every hidden activation x output/loss pair a live widget offers, the forward pass, the
  loss and every gradient (with and without L2) equal mlp's to 1e-9 relative;
* a fixed run (same start, same batches, no shuffle) with SGD, momentum and Adam, with and
  without L2, gives mlp's loss curve (net.fit's history) and final weights to 1e-9;
* net.step, the API the widgets' tests and curious readers use, is one optimizer step.

The largest relative errors are printed (pytest -s shows them). Skipped without Chromium.
"""
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import mlp
from mlp.book import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=str(browser.missing()))

HIDDEN = ["identity", "relu", {"name": "leaky_relu", "alpha": 0.1}, "sigmoid", "tanh"]
#: (output activation, loss): the playground offers all three; the MNIST panel the last.
OUTPUTS = [("sigmoid", "binary_cross_entropy"), ("sigmoid", "mse"), ("softmax", "cross_entropy")]
TOLERANCE = 1e-9
WORST = {}  # what the checks measured, printed at the end of the module


def rel_error(js, py):
    """max |js - py| / max |py|: the largest error relative to the array's scale."""
    js, py = np.asarray(js, np.float64), np.asarray(py, np.float64)
    assert js.shape == py.shape, (js.shape, py.shape)
    scale = np.abs(py).max()
    return float(np.abs(js - py).max() / scale) if scale > 0 else float(np.abs(js).max())


def note(kind, value):
    WORST[kind] = max(WORST.get(kind, 0.0), value)
    assert value <= TOLERANCE, f"{kind}: relative error {value:.2e} > {TOLERANCE:g}"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    site = tmp_path_factory.mktemp("live-parity")
    shutil.copy(ROOT / "book" / "live" / "mlp.js", site / "mlp.js")
    (site / "index.html").write_text('<!DOCTYPE html><html><head><meta charset="utf-8">'
                                     '<script src="mlp.js"></script></head><body></body></html>')
    with browser.serving(site) as url, browser.browser() as driver:
        driver.get(url + "/index.html")
        yield driver
        assert browser.console_errors(driver) == []
    print("\nmlp.js against mlp, float64, largest relative errors:")
    for kind, value in sorted(WORST.items()):
        print(f"  {kind:<28} {value:.2e}")


def run_js(driver, body, *args):
    """Run ``body`` (a function of args that returns JSON-able data) in the page."""
    result = driver.execute_script(
        "try { return {ok: (function () {" + body + "}).apply(null, arguments)}; }"
        " catch (e) { return {error: String(e && e.stack || e)}; }", *args)
    assert "error" not in result, result["error"]
    return result["ok"]


def data(n_out, loss, n=11, n_in=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    X[0, 0] = 0.0                                          # mlp.js skips zero inputs
    if loss == "cross_entropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, (n, n_out)).astype(np.float64)
    else:
        Y = rng.random((n, n_out))
    return X, Y


def network(hidden, output, loss, sizes=(3, 5, 4), seed=1):
    n_out = 1 if output == "sigmoid" else 3
    return mlp.MLP([*sizes, n_out], activation=hidden, output=output, loss=loss, seed=seed,
                   dtype=np.float64, init="glorot_uniform")


GRADIENTS = """
var net = mlpjs.fromJSON(arguments[0]), X = arguments[1], Y = arguments[2], l2 = arguments[3];
return {forward: net.forward(X), loss: net.loss(X, Y, l2), gradients: net.gradients(X, Y, l2)};
"""


@pytest.mark.parametrize("l2", [0.0, 0.01])
@pytest.mark.parametrize("output,loss", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: h if isinstance(h, str) else h["name"])
def test_gradients_equal_mlps(page, hidden, output, loss, l2):
    net = network(hidden, output, loss)
    X, Y = data(net.sizes[-1], loss)
    got = run_js(page, GRADIENTS, web.to_dict(net, "float64"), X.tolist(), Y.tolist(), l2)
    note("forward", rel_error(got["forward"], net.forward(X)))
    note("loss", rel_error(got["loss"], net.loss(X, Y, l2=l2)))
    for (dW, db), (dW_py, db_py) in zip(got["gradients"], net.gradients(X, Y, l2=l2), strict=True):
        note("gradients dW", rel_error(dW, dW_py))
        note("gradients db", rel_error(db, db_py))


def test_gradients_of_other_mse_outputs(page):
    """MSE after an identity, tanh or softmax output (the chain rule, no fused delta)."""
    for output in ("identity", "tanh", "softmax"):
        net = mlp.MLP([3, 4, 2], activation="tanh", output=output, loss="mse", seed=2,
                      dtype=np.float64)
        X, Y = data(2, "mse")
        got = run_js(page, GRADIENTS, web.to_dict(net, "float64"), X.tolist(), Y.tolist(), 0.0)
        for (dW, db), (dW_py, db_py) in zip(got["gradients"], net.gradients(X, Y)):
            note("gradients dW", rel_error(dW, dW_py))
            note("gradients db", rel_error(db, db_py))


FIT = """
var net = mlpjs.fromJSON(arguments[0]), history = mlpjs.fit(net, arguments[1], arguments[2], arguments[3]);
return {loss: history.loss, accuracy: history.accuracy,
        weights: net.layers.map(function (l) { return [mlpjs.toRows(l.W), Array.from(l.b)]; })};
"""


@pytest.mark.parametrize("l2", [0.0, 1e-3])
@pytest.mark.parametrize("optimizer,lr", [("sgd", 0.5), ("momentum", 0.1), ("adam", 0.01)])
@pytest.mark.parametrize("output,loss", OUTPUTS)
def test_fixed_run_gives_mlps_loss_curve(page, output, loss, optimizer, lr, l2):
    net = network("tanh", output, loss, sizes=(2, 8, 8))
    X, Y = data(net.sizes[-1], loss, n=40, n_in=2, seed=3)
    start = web.to_dict(net, "float64")
    options = dict(epochs=8, batch_size=7, shuffle=False, optimizer=optimizer, lr=lr, l2=l2)
    got = run_js(page, FIT, start, X.tolist(), Y.tolist(), options)
    history = net.fit(X, Y, **options)
    note("fixed-run loss curve", rel_error(got["loss"], history["loss"]))
    np.testing.assert_array_equal(got["accuracy"], history["accuracy"])
    for (W, b), layer in zip(got["weights"], net.layers):
        note("fixed-run final weights", max(rel_error(W, layer.W), rel_error(b, layer.b)))
    assert history["loss"][-1] < history["loss"][0]        # the run learns something


def test_fixed_run_on_relu_softmax_like_the_mnist_panel(page):
    """The MNIST panel's kind of network (ReLU, softmax, log-likelihood), sparse inputs."""
    rng = np.random.default_rng(4)
    X = np.where(rng.random((64, 20)) < 0.7, 0.0, rng.random((64, 20)))
    y = rng.integers(0, 10, 64)
    net = mlp.MLP([20, 16, 10], activation="relu", output="softmax", loss="cross_entropy",
                  seed=0, dtype=np.float64)
    start = web.to_dict(net, "float64")
    options = dict(epochs=6, batch_size=16, shuffle=False, optimizer="sgd", lr=0.3)
    got = run_js(page, FIT, start, X.tolist(), y.tolist(), options)   # integer labels
    history = net.fit(X, y, **options)
    note("fixed-run loss curve", rel_error(got["loss"], history["loss"]))


STEP = """
var net = mlpjs.fromJSON(arguments[0]), losses = [];
for (var i = 0; i < 5; i++) losses.push(net.step(arguments[1], arguments[2], arguments[3]));
return {losses: losses, W: mlpjs.toRows(net.layers[0].W)};
"""


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_step_is_one_optimizer_step(page, optimizer):
    net = network("relu", "softmax", "cross_entropy")
    X, Y = data(3, "cross_entropy")
    options = dict(optimizer=optimizer, lr=0.05, l2=1e-3)
    got = run_js(page, STEP, web.to_dict(net, "float64"), X.tolist(), Y.tolist(), options)
    opt = mlp.optimizers.get_optimizer(optimizer, 0.05)
    losses = []
    for _ in range(5):
        losses.append(net.loss(X, Y, l2=1e-3))
        opt.step(net.params(), [g for grads in net.gradients(X, Y, l2=1e-3) for g in grads])
    note("step losses", rel_error(got["losses"], losses))
    note("step weights", rel_error(got["W"], net.layers[0].W))


def test_js_export_reads_back_in_mlp(page):
    net = network("sigmoid", "softmax", "cross_entropy")
    model = run_js(page, "return mlpjs.fromJSON(arguments[0]).toJSON();", web.to_dict(net, "float64"))
    back = web.from_dict(model)
    assert back.dtype == np.float64 and back.loss_fn.name == net.loss_fn.name
    for mine, theirs in zip(net.params(), back.params()):
        np.testing.assert_array_equal(mine, theirs)


def test_divergence_stops_with_mlps_message(page):
    net = mlp.MLP([2, 1], output="identity", loss="mse", seed=0, dtype=np.float64)
    X = np.array([[1.0, 2.0], [3.0, -1.0]]) * 1e3
    Y = np.array([[1.0], [0.0]])
    got = run_js(page, """
        var net = mlpjs.fromJSON(arguments[0]);
        try { mlpjs.fit(net, arguments[1], arguments[2], {epochs: 500, batch_size: 2, lr: 1}); }
        catch (e) { return {name: e.name, message: e.message, isError: e instanceof Error}; }
        return null;""", web.to_dict(net, "float64"), X.tolist(), Y.tolist())
    assert got["name"] == "DivergenceError" and got["isError"]
    assert "training diverged: the loss became" in got["message"] and "try 0.1" in got["message"]
    with pytest.raises(mlp.DivergenceError, match="try 0.1,"):
        with np.errstate(all="ignore"):
            net.fit(X, Y, epochs=500, batch_size=2, lr=1.0)


@pytest.mark.parametrize("init,variance", [("scaled_normal", 1.0), ("he_normal", 2.0)])
def test_seeded_starts_have_mlps_variance(page, init, variance):
    """mlp.js draws its own random numbers, so its start is compared in distribution: the
    weights of a 784-64-10 start have mean 0 and variance variance/n_in (mlp.init), b = 0."""
    got = run_js(page, """
        var net = new mlpjs.Network([784, 64, 10], ["relu", "softmax"], "cross_entropy",
                                    {seed: 3, init: arguments[0]});
        return net.layers.map(function (l) { return {W: Array.from(l.W.data), b: Array.from(l.b)}; });""",
        init)
    for layer, n_in in zip(got, (784, 64)):
        W = np.array(layer["W"])
        # 50,176 and 640 draws: the sample variance is within 4 standard errors of sqrt(2/n)
        assert abs(W.mean()) < 4 * np.sqrt(variance / n_in / W.size)
        assert abs(W.var() * n_in / variance - 1) < 4 * np.sqrt(2 / W.size)
        assert not any(layer["b"])
    net = mlp.MLP([784, 64, 10], activation="relu", init=init, seed=3)
    mine = net.layers[0].W.var() * 784 / variance
    assert abs(mine - 1) < 4 * np.sqrt(2 / net.layers[0].W.size)   # the same rule in mlp


def test_an_unknown_init_is_refused(page):
    message = page.execute_script(
        "try { new mlpjs.Network([2, 1], ['sigmoid'], 'mse', {init: 'glorot'}); return 'accepted'; }"
        " catch (e) { return e.message; }")
    assert "unknown init \"glorot\"" in message and "he_normal" in message


@pytest.mark.parametrize("bad,message", [
    ({"format": "other", "version": 1}, "not an mlp-book-web model"),
    ("sizes", "whole numbers"),
    ("pairing", "binary cross-entropy needs a sigmoid output"),
    ("length", "expected 15 float64 numbers"),
])
def test_bad_files_are_refused_with_a_message(page, bad, message):
    model = web.to_dict(network("relu", "softmax", "cross_entropy"), "float64")
    if bad == "sizes":
        model["sizes"] = [3, 0, 4, 3]
    elif bad == "pairing":
        model["loss"] = "binary_cross_entropy"
    elif bad == "length":
        model["layers"][0]["W"] = model["layers"][0]["b"]
    elif isinstance(bad, dict):
        model = bad
    got = driver_error(page, model)
    assert message in got


def driver_error(driver, model):
    return driver.execute_script(
        "try { mlpjs.fromJSON(arguments[0]); return 'accepted'; } catch (e) { return e.message; }",
        model)


def test_json_format_records_the_loss():
    for output, loss in OUTPUTS:
        net = network("relu", output, loss)
        model = json.loads(web.to_json(net, "float64"))
        assert model["loss"] == loss and model["dtype"] == "float64"
        assert web.from_dict(model).loss_fn.name == net.loss_fn.name
