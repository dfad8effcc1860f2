"""The online book's drawing pad (book/draw/draw.js) in a real browser: headless Chromium.

A minimal page that loads draw.js, draw.css and the exported model is served on 127.0.0.1 and
dumped by `chromium --headless --dump-dom` after a script on the page has

* drawn a "1" on the pad's canvas through the API (pad.strokeFrom), which runs the page's own
  preprocessing and forward pass and updates the bars;
* run drawDigit.toMnist and drawDigit.forward on a fixed 280x280 drawing (a "7" rendered by
  mlp.data.preprocess.render_strokes and embedded in the page);
* drawn a "7" with synthetic pointer events (the mouse/touch path of the pad);
* rendered the notebook's drawing pad (mlp.book.web.PAD_JS, an anywidget module) with a stand-in for
  the widget model, drawn on it with pointer events and kept what it sends to the kernel;

and written the results as JSON into a <pre>. Python then checks them against mlp: the same
28x28 input as mlp.data.preprocess.to_mnist, the same probabilities as MLP.predict_proba (1e-4).
Skipped when Chromium is not installed (CI installs it).
"""
import base64
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

from mlp.data import preprocess

from mlp.book import web

ROOT = Path(__file__).resolve().parent.parent
DRAW = ROOT / "book" / "draw"
SEVEN = [[(70, 50), (215, 50), (185, 110), (120, 245)]]
ONE = [[150, 40], [147, 140], [143, 245]]


def _chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        path = name and shutil.which(name)
        if path:
            return path
    return None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get "
                                "install chromium); CI runs this test")

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>draw.js test</title></head>
<body>
<div id="draw-digit">The drawing pad needs JavaScript.</div>
<div id="notebook-pad"></div>
<pre id="result">pending</pre>
<script src="draw.js"></script>
<script>
var GRAY = "%(gray)s", ONE = %(one)s, SEVEN = %(seven)s;

function drag(canvas, points) {  // pointer events along a polyline, in canvas pixels
  var r = canvas.getBoundingClientRect();
  points.forEach(function (p, i) {
    var type = i === 0 ? "pointerdown" : "pointermove";
    canvas.dispatchEvent(new PointerEvent(type, {bubbles: true, pointerId: 1, isPrimary: true,
      clientX: r.left + p[0] * r.width / canvas.width, clientY: r.top + p[1] * r.height / canvas.height}));
  });
  canvas.dispatchEvent(new PointerEvent("pointerup", {bubbles: true, pointerId: 1}));
}

function notebookPad(module) {  // the anywidget module with a stand-in for the widget model
  var state = {size: 280, pen: 20, image: null}, saves = 0;
  var model = {get: function (k) { return state[k]; }, set: function (k, v) { state[k] = v; },
               save_changes: function () { saves++; }};
  var el = document.getElementById("notebook-pad");
  module.default.render({model: model, el: el});
  drag(el.querySelector("canvas"), ONE);
  var bytes = new Uint8Array(state.image.buffer), text = "";
  for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return {saves: saves, image: btoa(text), buttons: el.querySelectorAll("button").length};
}

Promise.all([drawDigit.ready, import("./pad.js")]).then(function (loaded) {
  var out = {};
  try {
    var pads = loaded[0], pad = pads[0];
    out.loaded = !!pad.model;
    out.stroke = pad.strokeFrom(ONE);
    out.shown = pad.prediction.textContent;
    out.rows = pad.bars.querySelectorAll(".dd-row").length;
    var bytes = atob(GRAY), gray = new Float64Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) gray[i] = bytes.charCodeAt(i);
    var x = drawDigit.toMnist(gray, 280, 280, pad.model.preprocess);
    out.fixed = {input: Array.from(x), probabilities: Array.from(drawDigit.forward(pad.model, x))};
    try { drawDigit.toMnist(new Float64Array(100), 10, 10, {}); out.blank = "accepted"; }
    catch (e) { out.blank = e.name; }
    pad.clear();
    out.cleared = pad.prediction.textContent;
    drag(pad.canvas, SEVEN);
    out.dragged = pad.result && pad.result.digit;
    out.notebook = notebookPad(loaded[1]);
  } catch (e) { out.error = String(e && e.stack || e); }
  document.getElementById("result").textContent = JSON.stringify(out);
});
</script>
</body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def gray_seven():
    """The fixed drawing: a 7 on a 280x280 canvas, as whole numbers 0..255 (a canvas's alpha)."""
    return np.round(255 * preprocess.render_strokes(SEVEN, width=20)).astype(np.uint8)


@pytest.fixture(scope="module")
def page_result(tmp_path_factory, gray_seven):
    """Serve the test page, let Chromium run it, return the JSON the page wrote."""
    site = tmp_path_factory.mktemp("site")
    for name in ("draw.js", "draw.css", "digit_model.json"):
        shutil.copy(DRAW / name, site / name)
    gray = base64.b64encode(gray_seven.tobytes()).decode("ascii")
    (site / "pad.js").write_text(web.PAD_JS)
    (site / "test.html").write_text(PAGE % dict(gray=gray, one=json.dumps(ONE),
                                                seven=json.dumps(SEVEN[0])))
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    profile = tmp_path_factory.mktemp("chromium-profile")
    url = f"http://127.0.0.1:{server.server_address[1]}/test.html"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom", url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    finally:
        server.shutdown()
        server.server_close()
    match = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert match, f"no result in the dumped page; Chromium said:\n{done.stderr[-2000:]}"
    text = html.unescape(match.group(1))
    assert text != "pending", "the page's script never finished (model not loaded?)"
    result = json.loads(text)
    assert "error" not in result, result.get("error")
    return result


@pytest.fixture(scope="module")
def page_net():
    return web.load(DRAW / "digit_model.json")


def test_page_loads_the_model_and_recognises_a_drawn_one(page_result):
    assert page_result["loaded"]
    assert page_result["stroke"]["digit"] == 1
    assert page_result["shown"] == "1"          # the DOM shows the prediction
    assert page_result["rows"] == 10            # one bar per digit
    assert page_result["cleared"] == "?"        # Clear resets it


def test_page_forward_pass_matches_mlp(page_result, page_net):
    """The canvas's own rendering of the stroke, through the page's network = through mlp's."""
    x = np.array(page_result["stroke"]["input"])
    assert x.shape == (784,) and 0 <= x.min() and x.max() == pytest.approx(1.0)
    expected = page_net.predict_proba(x.reshape(1, 784))[0]
    np.testing.assert_allclose(page_result["stroke"]["probabilities"], expected, atol=1e-4)


def test_page_preprocessing_matches_mlp(page_result, page_net, gray_seven):
    """The same fixed drawing: same 28x28 input as to_mnist, same probabilities as mlp."""
    x = preprocess.to_mnist(gray_seven, **web.PREPROCESS)
    np.testing.assert_allclose(page_result["fixed"]["input"], x.reshape(-1), atol=1e-5)
    expected = page_net.predict_proba(x.reshape(1, 784))[0]
    np.testing.assert_allclose(page_result["fixed"]["probabilities"], expected, atol=1e-4)
    assert int(np.argmax(page_result["fixed"]["probabilities"])) == 7


def test_page_refuses_a_blank_canvas(page_result):
    assert page_result["blank"] == "EmptyCanvasError"


def test_page_pad_draws_with_pointer_events(page_result):
    assert page_result["dragged"] == 7


def test_notebook_pad_sends_the_alpha_channel(page_result, page_net):
    """The anywidget pad: after a stroke it saves the canvas's alpha channel, 280*280 bytes."""
    sent = page_result["notebook"]
    assert sent["saves"] == 1 and sent["buttons"] == 1
    alpha = np.frombuffer(base64.b64decode(sent["image"]), dtype=np.uint8)
    assert alpha.size == 280 * 280 and alpha.max() == 255
    x = preprocess.to_mnist(alpha.reshape(280, 280), **web.PREPROCESS)
    assert page_net.predict(x.reshape(1, 784))[0] == 1
