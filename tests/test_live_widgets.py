"""The online book's live widgets (book/live/) in headless Chromium: they work, they say what
the notebooks say, and they refuse bad links.

* every widget mounts without a JavaScript error;
* the explorers of chapters 1, 2, 4 and 5 compute what the chapters' Python computes;
* pressing the playground's play button and the MNIST panel's Train button lowers the loss;
  Stop stops; a run that diverges stops with mlp's message and plots nothing that is not finite;
* a shared link (the "link to this setup" of a widget) restores its state; a malformed link
  shows a message and the defaults, and nothing in it reaches the page as HTML;
* every "try this" link of the playground page (book/playground.md) does what the page says.

The MNIST panel trains on chapter 11's real subset when the MNIST files are found, else on a
learnable synthetic stand-in (the panel's mechanics are the same). Skipped without Chromium.
"""
import html
import math
import re
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import mlp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=str(browser.missing()))

import live_site  # noqa: E402

PAGES = {name + ".html": [name] for name in live_site.WIDGETS}
PAGES["all.html"] = live_site.WIDGETS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = live_site.build(tmp_path_factory.mktemp("live-site"), PAGES)
    with browser.serving(built["directory"]) as url:
        yield dict(built, url=url)


@pytest.fixture(scope="module")
def driver():
    with browser.browser() as d:
        yield d


def open_page(driver, site, page, hash_=""):
    """Load page#hash, wait for the widgets, return the console errors so far."""
    driver.get("about:blank")
    driver.get(f"{site['url']}/{page}{hash_}")
    driver.execute_async_script("var done = arguments[0]; mlpLive.ready.then(function () { done(); });")
    return browser.console_errors(driver)


def js(driver, body, *args):
    result = driver.execute_script(
        "try { return {ok: (function () {" + body + "}).apply(null, arguments)}; }"
        " catch (e) { return {error: String(e && e.stack || e)}; }", *args)
    assert "error" not in result, result["error"]
    return result["ok"]


def wait_for(driver, condition, timeout=60):
    """Poll a JavaScript expression until it is truthy; its value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script("return " + condition)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {condition}")


WIDGET = "document.querySelector('.mlp-live').mlpLive"


def test_every_widget_mounts_without_errors(driver, site):
    errors = open_page(driver, site, "all.html")
    assert errors == []
    mounted = js(driver, "return Array.from(document.querySelectorAll('.mlp-live'))"
                         ".map(function (r) { return r.mlpLive && r.mlpLive.name; });")
    assert mounted == ["bowl", "mnist", "neuron", "perceptron", "playground", "slowdown"]
    assert js(driver, "return document.querySelectorAll('.ml-message.ml-error').length;") == 0


# ---- the explorers compute what the chapters compute -------------------------------------------
@pytest.mark.parametrize("activation", ["step", "sigmoid", "tanh", "relu", "leaky_relu"])
def test_neuron_explorer_is_mlps_neuron(driver, site, activation):
    open_page(driver, site, "neuron.html")
    got = js(driver, f"var w = {WIDGET}; w.set('w', 1.7); w.set('b', -0.6);"
                     f"return w.set('activation', '{activation}');")
    f = mlp.get_activation(activation)
    z = (1.7 * np.linspace(-5, 5, 401) - 0.6)[:, None]
    a = f.forward(z)
    np.testing.assert_allclose(got["a"], a[:, 0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got["derivative"], f.derivative(z, a)[:, 0], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("table,w1,w2,b,correct", [
    ("and", 1.0, 1.0, -0.5, 2), ("and", 1.0, 1.0, -1.5, 4), ("nand", -1.0, -1.0, 1.5, 4),
    ("xor", 1.0, 1.0, -0.5, 3), ("must", 1.0, 0.0, -0.5, 4)])
def test_perceptron_explorer_counts_like_chapter_1(driver, site, table, w1, w2, b, correct):
    open_page(driver, site, "perceptron.html")
    got = js(driver, f"var w = {WIDGET}; w.set('w1', {w1}); w.set('w2', {w2}); w.set('b', {b});"
                     f"return w.set('table', '{table}');")
    X, y = mlp.truth_table(table)
    assert got["correct"] == int(((X @ np.array([w1, w2]) + b > 0) == (y[:, 0] > 0)).sum()) == correct


def train_neuron(w, b, loss, eta=0.15, steps=300, x=1.0, y=0.0):
    """Chapter 4's train_neuron, as the chapter writes it."""
    outputs, costs = [], []
    for _ in range(steps + 1):
        a = 1 / (1 + math.exp(-(w * x + b)))
        outputs.append(a)
        if loss == "mse":
            costs.append(0.5 * (a - y) ** 2)
            delta = (a - y) * a * (1 - a)
        else:
            costs.append(-(y * math.log(a) + (1 - y) * math.log(1 - a)))
            delta = a - y
        w, b = w - eta * x * delta, b - eta * delta
    return outputs, costs


@pytest.mark.parametrize("w,b,eta", [(2.0, 2.0, 0.15), (0.0, 0.0, 0.15), (-2.0, -2.0, 1.0), (4.0, 4.0, 0.05)])
def test_slowdown_explorer_is_chapter_4s_neuron(driver, site, w, b, eta):
    open_page(driver, site, "slowdown.html")
    got = js(driver, f"var x = {WIDGET}; x.set('w', {w}); x.set('b', {b}); x.set('eta', {eta});"
                     "return {mse: mlpExplorers.trainNeuron(%s, %s, 'mse', %s, 300),"
                     " bce: mlpExplorers.trainNeuron(%s, %s, 'binary_cross_entropy', %s, 300)};"
                     % (w, b, eta, w, b, eta))
    for loss in ("mse", "bce"):
        outputs, costs = train_neuron(w, b, loss, eta)
        np.testing.assert_allclose(got[loss]["outputs"], outputs, rtol=1e-12)
        np.testing.assert_allclose(got[loss]["costs"], costs, rtol=1e-9)


def momentum_descent(w0, eta, beta, steps):
    """Chapter 5's momentum_descent on its bowl, as the chapter writes it."""
    grad = lambda w: np.array([1.0, 20.0]) * w  # noqa: E731
    w, v, path = np.array(w0, float), np.zeros(2), [np.array(w0, float)]
    for _ in range(steps):
        v = beta * v - eta * grad(w)
        w = w + v
        path.append(w)
    return np.array(path)


@pytest.mark.parametrize("eta,beta", [(0.06, 0.0), (0.06, 0.7), (2 / 21, 0.0), (0.105, 0.0), (0.2, 0.9)])
def test_bowl_explorer_is_chapter_5s_descent(driver, site, eta, beta):
    open_page(driver, site, "bowl.html")
    got = js(driver, f"var w = {WIDGET}; w.set('eta', {eta}); var r = w.set('beta', {beta});"
                     f"r.path = mlpExplorers.momentumDescent([-4, 1], {eta}, {beta}, 150); return r;")
    path = momentum_descent([-4.0, 1.0], eta, beta, 150)
    np.testing.assert_allclose(got["path"], path, rtol=1e-12, atol=1e-300)
    f = 0.5 * (path ** 2 * [1.0, 20.0]).sum(axis=1)
    below = np.flatnonzero(f < 1e-4)
    assert got["reached"] == (int(below[0]) if below.size else None)


# ---- training lowers the loss; Stop; divergence ---------------------------------------------
def test_pressing_play_trains_the_playground(driver, site):
    assert open_page(driver, site, "playground.html", "#live=playground&dataset=moons&hidden=8,8") == []
    before = js(driver, f"return {WIDGET}.history().train[0];")
    driver.find_element("css selector", ".ml-play").click()
    wait_for(driver, f"{WIDGET}.history().epoch.length > 40")
    driver.find_element("css selector", ".ml-play").click()                # pause
    h = js(driver, f"return {WIDGET}.history();")
    assert not js(driver, f"return {WIDGET}.playing();")
    assert h["train"][-1] < 0.5 * before and all(math.isfinite(v) for v in h["train"] + h["test"])
    readout = driver.find_element("css selector", ".ml-pg-readout").text
    assert f"training loss {h['train'][-1]:.3f}" in readout
    assert browser.console_errors(driver) == []


def test_playground_runs_are_reproducible(driver, site):
    link = "#live=playground&dataset=xor&hidden=4,3&activation=relu&optimizer=momentum&lr=0.05&batch=7&l2=0.001&seed=5"
    runs = []
    for _ in range(2):
        open_page(driver, site, "playground.html", link)
        runs.append(js(driver, f"return {WIDGET}.step(30).train;"))
    assert runs[0] == runs[1] and runs[0][-1] < runs[0][0]


def test_a_diverging_playground_stops_with_a_message(driver, site):
    open_page(driver, site, "playground.html",
              "#live=playground&dataset=circles&hidden=8,8&activation=identity&lr=10")
    driver.find_element("css selector", ".ml-play").click()
    message = wait_for(driver, "document.querySelector('.ml-message.ml-error') && "
                               "document.querySelector('.ml-message.ml-error').textContent", 30)
    assert "training diverged" in message and "learning rate (10)" in message
    assert not js(driver, f"return {WIDGET}.playing();")
    h = js(driver, f"return {WIDGET}.history();")
    assert all(math.isfinite(v) for v in h["train"] + h["test"])          # no NaN plotted
    assert browser.console_errors(driver) == []


@pytest.fixture()
def mnist_page(driver, site):
    def load(hash_=""):
        assert open_page(driver, site, "mnist.html", hash_) == []
        return site["mnist"]
    return load


def test_pressing_train_trains_the_mnist_panel(driver, mnist_page):
    kind = mnist_page("#live=mnist&epochs=3")
    driver.find_element("xpath", "//button[contains(., 'Train')]").click()
    status = wait_for(driver, f"!{WIDGET}.running() && {WIDGET}.status()", 180)
    assert status.startswith("Done: 3 epochs"), status
    h = js(driver, f"return {WIDGET}.runs[0].history;")
    assert h["epoch"] == [1, 2, 3]
    assert h["loss"][2] < h["loss"][1] < h["loss"][0] < math.log(10)
    if kind == "real":                   # chapter 11's 784-32-10 reaches ~0.9 in three epochs
        assert h["val_accuracy"][-1] > 0.85
    print(f"\nMNIST panel ({kind} data): loss per epoch {[round(v, 3) for v in h['loss']]}, "
          f"seconds per epoch {[round(s, 2) for s in h['seconds']]}")


def test_stop_ends_an_mnist_run_early(driver, mnist_page):
    mnist_page("#live=mnist&epochs=60&hidden=16")
    driver.find_element("xpath", "//button[contains(., 'Train')]").click()
    wait_for(driver, f"{WIDGET}.runs[0].history.epoch.length >= 1", 120)
    driver.find_element("xpath", "//button[contains(., 'Stop')]").click()
    status = wait_for(driver, f"!{WIDGET}.running() && {WIDGET}.status()", 30)
    n = js(driver, f"return {WIDGET}.runs[0].history.epoch.length;")
    assert 1 <= n < 60 and "(stopped)" in status


def test_a_diverging_mnist_run_stops_with_a_message(driver, mnist_page):
    """Softmax with the log-likelihood is hard to push to NaN with the panel's bounded settings
    (chapter 11: a learning rate of 3 kills the ReLUs instead); a learning rate beyond the
    panel's range, sent to its worker directly, does diverge, and the worker says so."""
    mnist_page()
    said = driver.execute_async_script("""
        var done = arguments[0], worker = new Worker("_static/live/mnist_worker.js"), seen = [];
        worker.onmessage = function (e) {
          seen.push(e.data.type);
          if (e.data.type === "error" || e.data.type === "done") { worker.terminate(); done({seen: seen, last: e.data}); }
        };
        worker.postMessage({type: "train", id: 1, url: new URL("_static/live/mnist_subset.bin", location.href).href, settings:
          {hidden: [32], activation: "relu", lr: 1e300, batch: 32, epochs: 2, optimizer: "sgd", seed: 0}});""")
    assert said["last"]["type"] == "error" and said["last"]["divergence"], said
    assert "training diverged: the loss became" in said["last"]["message"]
    assert said["seen"][:2] == ["loaded", "start"] and "epoch" not in said["seen"]


def test_missing_data_is_reported_in_the_panel(driver, site):
    (site["directory"] / "mnist-missing.html").write_text(
        live_site.page(["mnist"], {"mnist": {"data": "no-such-file.bin"}}))
    assert open_page(driver, site, "mnist-missing.html") == []
    driver.find_element("xpath", "//button[contains(., 'Train')]").click()
    status = wait_for(driver, f"!{WIDGET}.running() && {WIDGET}.status()", 30)
    assert status.startswith("Could not train: HTTP 404") and "no-such-file.bin" in status
    browser.console_errors(driver)                     # the 404 is logged: clear the log


def test_bad_hidden_sizes_are_refused_before_training(driver, mnist_page):
    mnist_page()
    box = driver.find_element("css selector", ".ml-text")
    box.clear()
    box.send_keys("64, x")
    driver.find_element("xpath", "//button[contains(., 'Train')]").click()
    status = js(driver, f"return {WIDGET}.status();")
    assert "Hidden sizes must be whole numbers" in status and not js(driver, f"return {WIDGET}.running();")
    box.clear()
    box.send_keys("2000,2000")
    driver.find_element("xpath", "//button[contains(., 'Train')]").click()
    assert "at most 4 hidden layers of at most 1024 units" in js(driver, f"return {WIDGET}.status();")


# ---- links: shared state, malformed state ------------------------------------------------------
SHARED = {
    "playground": ("#live=playground&dataset=spirals&noise=0.25&points=300&train=70&seed=42&hidden=6,5,4"
                   "&activation=relu&output=softmax&lr=0.003&batch=25&optimizer=adam&l2=0.001&test=1",
                   dict(dataset="spirals", noise=0.25, points=300, train=70, seed=42, hidden=[6, 5, 4],
                        activation="relu", output="softmax", lr=0.003, batch=25, optimizer="adam",
                        l2=0.001, test=True)),
    "mnist": ("#live=mnist&lr=0.02&hidden=64,32&activation=tanh&batch=128&epochs=7&optimizer=momentum",
              dict(lr=0.02, hidden=[64, 32], activation="tanh", batch="128", epochs=7, optimizer="momentum")),
    "neuron": ("#live=neuron&activation=leaky_relu&w=-2.5&b=1.2", dict(activation="leaky_relu", w=-2.5, b=1.2)),
    "bowl": ("#live=bowl&eta=0.09&beta=0.3&w1=3&w2=-1.5", dict(eta=0.09, beta=0.3, w1=3, w2=-1.5)),
    "perceptron": ("#live=perceptron&table=nand&w1=-1&w2=-1&b=1.5", dict(table="nand", w1=-1, w2=-1, b=1.5)),
    "slowdown": ("#live=slowdown&w=-3&b=1.25&eta=2", dict(w=-3, b=1.25, eta=2)),
}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_a_shared_link_restores_the_state(driver, site, name):
    link, expected = SHARED[name]
    assert open_page(driver, site, f"{name}.html", link) == []
    assert js(driver, f"return {WIDGET}.state();") == expected
    assert js(driver, "return document.querySelector('.ml-message').hidden;")   # nothing to report
    href = driver.find_element("css selector", ".ml-link").get_attribute("href")
    open_page(driver, site, f"{name}.html", "#" + href.split("#", 1)[1])         # its own link
    assert js(driver, f"return {WIDGET}.state();") == expected
    if name == "playground":                                                     # the controls show it
        assert driver.find_element("css selector", ".ml-pg-top select").get_attribute("value") == "relu"


EVIL = "<img src=x onerror=alert(1)><script>window.HACKED=1</script>"


@pytest.mark.parametrize("name,link,notes,changed", [
    ("playground", "#live=playground&lr=abc&hidden=" + EVIL + "&dataset=evil&activation=constructor"
                   "&points=99999&zzz=1&test=yes&lr=5",
     ["lr=abc", "is not a number", "is not a list of whole numbers", "dataset=evil", "not one of",
      "activation=constructor", "above the maximum 1000", "Unknown setting", "must be 0 or 1",
      "given twice"], {"points": 1000}),
    ("playground", "#live=playground&hidden=9,99,0,3,3,3,3&noise=-1e3&batch=1.5",
     ["must list 0 to 6 numbers", "below the minimum 0", "not a whole number"], {"noise": 0}),
    ("playground", "#live=playground&lr=%E0%A4%A", ["not valid URL text"], {}),
    ("playground", "#live=playground&" + "x" * 1200, ["too long"], {}),
    ("playground", "#live=playground&a b=1", ["malformed"], {}),
    ("mnist", "#live=mnist&hidden=1,2,3,4,5&lr=-1&batch=33&epochs=1e9&optimizer=__proto__",
     ["must list 0 to 4 numbers", "below the minimum", "batch=33", "above the maximum 100", "optimizer=__proto__"],
     {"lr": 1e-4, "epochs": 100}),
    ("neuron", "#live=neuron&activation=" + EVIL + "&w=Infinity&b=NaN",
     ["activation=", "w=Infinity", "b=NaN", "is not a number"], {}),
])
def test_a_malformed_link_shows_a_message_and_the_defaults(driver, site, name, link, notes, changed):
    open_page(driver, site, f"{name}.html")
    defaults = js(driver, f"return {WIDGET}.state();")
    assert open_page(driver, site, f"{name}.html", link) == []
    message = driver.find_element("css selector", ".ml-message")
    assert message.is_displayed()
    text = message.text
    for note in notes:
        assert note in text, f"{note!r} not in the message {text!r}"
    assert js(driver, f"return {WIDGET}.state();") == dict(defaults, **changed)
    assert js(driver, "return window.HACKED;") is None
    assert js(driver, "return document.querySelectorAll('.ml-root img, .ml-root script').length;") == 0
    assert "<script" not in js(driver, "return document.querySelector('.ml-root').innerHTML;")


def test_a_link_for_another_widget_or_a_section_anchor_is_left_alone(driver, site):
    for hash_ in ("#live=bowl&eta=0.1", "#some-section", "#"):
        assert open_page(driver, site, "neuron.html", hash_) == []
        assert js(driver, "return document.querySelector('.ml-message').hidden;")


def test_a_changed_hash_applies_a_new_setup(driver, site):
    open_page(driver, site, "playground.html")
    driver.execute_script("location.hash = '#live=playground&dataset=blobs&output=softmax&hidden=3'")
    wait_for(driver, f"{WIDGET}.state().dataset === 'blobs'", 5)
    assert js(driver, f"return {WIDGET}.model.net.sizes;") == [2, 3, 3]


# ---- the playground page's "try this" links ------------------------------------------------------
def try_links():
    text = (ROOT / "book" / "playground.md").read_text()
    return [(html.unescape(href), re.sub(r"\s+", " ", label))
            for href, label in re.findall(r'<a href="(#live=playground[^"]*)">(.*?)</a>', text, re.S)]


def hist(h, epoch, key):
    return h[key][h["epoch"].index(epoch)]


def accuracy(driver, which):
    return js(driver, f"var w = {WIDGET}; return w.model.accuracy(w.model.{which});")


#: What the page says each link's run does (label -> (epochs, check(history, driver))).
CLAIMS = {
    "XOR without a hidden layer": (300, lambda h, d: abs(h["train"][-1] - math.log(2)) < 0.02),
    "one hidden layer of four units": (50, lambda h, d: accuracy(d, "train") == 1.0),
    "this run with two": (300, lambda h, d: 0.7 < accuracy(d, "train") < 0.85),
    "Two tanh units": (300, lambda h, d: 0.75 <= accuracy(d, "train") <= 0.85),
    "three": (300, lambda h, d: accuracy(d, "test") >= 0.93),
    "Two layers of eight ReLU units with Adam": (200, lambda h, d: accuracy(d, "train") == 1.0),
    "same network with tanh units": (300, lambda h, d: hist(h, 100, "train") > 0.6 and h["train"][-1] < 0.15),
    "Six layers of sigmoid units": (500, lambda h, d: abs(h["train"][-1] - math.log(2)) < 0.01),
    "same depth with tanh": (50, lambda h, d: accuracy(d, "test") >= 0.93),
    "Linear units with a learning rate of 10": (1, None),
    "Fifty noisy points and 24 tanh units": (500, lambda h, d: h["train"][-1] < 0.01 and hist(h, 10, "test") < 0.45
                                             and h["test"][-1] > 0.8),
    "L2 = 0.01": (500, lambda h, d: max(h["test"][10:]) < 0.45),
    "batches of one": (10, lambda h, d: accuracy(d, "train") >= 0.98),
    "batches of a hundred": (300, lambda h, d: hist(h, 10, "train") > 0.4 and accuracy(d, "train") >= 0.95),
    "The default network with a squared-error loss": (50, lambda h, d: 0.7 <= accuracy(d, "train") <= 0.9),
    "the same network with cross-entropy": (50, lambda h, d: accuracy(d, "train") >= 0.97),
}


def test_every_try_this_link_is_checked():
    assert sorted(label for _, label in try_links()) == sorted(CLAIMS)


@pytest.mark.parametrize("link,label", try_links(), ids=[label for _, label in try_links()])
def test_try_this_link_does_what_the_page_says(driver, site, link, label):
    assert open_page(driver, site, "playground.html", link) == []
    assert js(driver, "return document.querySelector('.ml-message').hidden;"), "the link has bad settings"
    epochs, check = CLAIMS[label]
    h = js(driver, f"return {WIDGET}.step({epochs});")
    if check is None:                                      # the divergence example
        message = driver.find_element("css selector", ".ml-message.ml-error").text
        assert "training diverged: the loss became NaN" in message
        return
    assert h["epoch"][-1] == epochs and check(h, driver), (label, h["train"][-3:], h["test"][-3:])
