"""mlp.book.web: a network exported for the browser, and the exported file the online book ships.

`js_forward` below is draw.js's forward pass written again in plain Python, loop for loop
(float64, base64 decoding by hand): the exported model run through it must give mlp's
probabilities. tests/test_draw_page.py runs draw.js itself in Chromium.
"""
import base64
import json
import math
import stat
import struct
from pathlib import Path

import numpy as np
import pytest

import mlp
from mlp.data import preprocess
from mlp.book import web

MODEL_FILE = Path(__file__).resolve().parent.parent / "book" / "draw" / "digit_model.json"


# ---- draw.js's math, transcribed ---------------------------------------------------------------
def js_half_to_float(bits):
    sign = -1.0 if bits & 0x8000 else 1.0
    exponent, fraction = (bits >> 10) & 0x1F, bits & 0x3FF
    if exponent == 0:
        return sign * 2.0 ** -14 * (fraction / 1024)
    if exponent == 31:
        return math.nan if fraction else sign * math.inf
    return sign * 2.0 ** (exponent - 15) * (1 + fraction / 1024)


def js_decode(text, dtype, n):
    raw = base64.b64decode(text)
    width = 2 if dtype == "float16" else 4
    assert len(raw) == n * width
    if width == 2:
        return [js_half_to_float(v) for v in struct.unpack(f"<{n}H", raw)]
    return list(struct.unpack(f"<{n}f", raw))


def js_activate(z, activation):
    name = activation["name"]
    if name == "softmax":
        top = max(z)
        e = [math.exp(v - top) for v in z]
        return [v / sum(e) for v in e]
    f = {"relu": lambda v: v if v > 0 else 0.0,
         "leaky_relu": lambda v: v if v > 0 else activation["alpha"] * v,
         "sigmoid": lambda v: 1 / (1 + math.exp(-v)),
         "tanh": math.tanh, "identity": lambda v: v}[name]
    return [f(v) for v in z]


def js_forward(model, x):
    """draw.js's forward(): z_j = b_j + sum_i a_i W[i * n_out + j], then the activation."""
    a = [float(v) for v in x]
    for l, layer in enumerate(model["layers"]):
        n_in, n_out = model["sizes"][l], model["sizes"][l + 1]
        W = js_decode(layer["W"], model["dtype"], n_in * n_out)
        z = js_decode(layer["b"], model["dtype"], n_out)
        for i in range(n_in):
            if a[i] == 0:
                continue
            for j in range(n_out):
                z[j] += a[i] * W[i * n_out + j]
        a = js_activate(z, model["activations"][l])
    return np.array(a)


# ---- encode / decode / round trip ------------------------------------------------------------
def test_encode_is_little_endian_base64():
    text = web.encode(np.array([1.0, -2.0]), "float32")
    assert base64.b64decode(text) == struct.pack("<2f", 1.0, -2.0)
    assert base64.b64decode(web.encode(np.array([1.0]), "float16")) == b"\x00\x3c"
    assert base64.b64decode(web.encode(np.array([0.1]), "float64")) == struct.pack("<d", 0.1)
    with pytest.raises(ValueError, match="dtype"):
        web.encode(np.zeros(2), "int8")


def test_decode_inverts_encode():
    w = np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32)
    np.testing.assert_array_equal(web.decode(web.encode(w), w.shape), w)
    np.testing.assert_array_equal(web.decode(web.encode(w, "float16"), w.shape, "float16"),
                                  w.astype(np.float16).astype(np.float32))
    with pytest.raises(ValueError, match="expected 20 numbers"):
        web.decode(web.encode(w), (4, 5))
    w64 = w.astype(np.float64) / 3
    back = web.decode(web.encode(w64, "float64"), w.shape, "float64")
    assert back.dtype == np.float64
    np.testing.assert_array_equal(back, w64)


def test_the_file_records_the_loss_and_older_files_still_load():
    net = mlp.MLP([4, 3, 1], activation="tanh", output="sigmoid", loss="binary_cross_entropy")
    model = web.to_dict(net)
    assert model["loss"] == "binary_cross_entropy"
    assert web.from_dict(model).loss_fn.name == "binary_cross_entropy"
    del model["loss"]                                       # written before the loss was recorded
    assert web.from_dict(model).loss_fn.name == "mse"


def test_js_half_decoder_agrees_with_numpy():
    values = np.array([0, 1, -2.5, 65504, 6.1e-5, 1e-7, -3e-6, np.inf], dtype=np.float16)
    bits = values.view(np.uint16)
    np.testing.assert_array_equal([js_half_to_float(int(b)) for b in bits], values.astype(float))


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("hidden", ["relu", "sigmoid", "tanh", "leaky_relu", "identity"])
def test_round_trip_and_js_math_match_mlp(hidden, dtype):
    net = mlp.MLP([12, 6, 5, 3], activation=hidden, output="softmax", loss="cross_entropy",
                  seed=1)
    model = json.loads(web.to_json(net, dtype))
    back = web.from_dict(model)
    X = np.random.default_rng(2).random((4, 12)).astype(np.float32)
    X[0, :5] = 0                                           # draw.js skips zero inputs
    expected = back.predict_proba(X)
    if dtype == "float32":
        np.testing.assert_array_equal(expected, net.predict_proba(X))
    for x, p in zip(X, expected):
        np.testing.assert_allclose(js_forward(model, x), p, atol=1e-6)


def test_sigmoid_output_layer_exports_too():
    net = mlp.MLP([4, 3, 2], activation="tanh", output="sigmoid", seed=0)
    model = web.to_dict(net)
    x = np.linspace(0, 1, 4, dtype=np.float32)
    np.testing.assert_allclose(js_forward(model, x), net.predict_proba(x[None])[0], atol=1e-6)


def test_activations_draw_js_cannot_run_are_refused():
    net = mlp.MLP([3, 2, 2], activation="prelu", output="softmax", loss="cross_entropy")
    with pytest.raises(ValueError, match="prelu"):
        web.to_dict(net)
    with pytest.raises(ValueError, match="mlp-book-web"):
        web.from_dict({"format": "something else", "version": 1})


def test_export_writes_a_readable_file(tmp_path):
    net = mlp.MLP([5, 4, 3], activation="relu", output="softmax", loss="cross_entropy")
    path = web.export(net, tmp_path / "sub" / "m.json", metadata={"note": "test"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o644     # a web server can serve it
    assert [p.name for p in path.parent.iterdir()] == ["m.json"]   # no temporary file left
    back = web.load(path)
    np.testing.assert_array_equal(back.layers[0].W, net.layers[0].W)
    assert json.loads(path.read_text())["metadata"] == {"note": "test"}


# ---- the file the online book ships --------------------------------------------------------
@pytest.fixture(scope="module")
def shipped():
    return json.loads(MODEL_FILE.read_text())


def test_shipped_model_is_small_and_complete(shipped):
    assert MODEL_FILE.stat().st_size < 400 * 1024
    assert shipped["format"] == web.FORMAT and shipped["version"] == web.VERSION
    assert shipped["sizes"] == web.DIGIT_MODEL["sizes"]
    assert shipped["dtype"] == web.DIGIT_DTYPE
    assert shipped["preprocess"] == web.PREPROCESS
    assert [a["name"] for a in shipped["activations"]] == ["relu", "softmax"]
    assert shipped["metadata"]["test_accuracy"] >= 0.97


def test_shipped_model_through_js_math_matches_mlp(shipped):
    net = web.from_dict(shipped)
    one = preprocess.render_strokes([[(150, 40), (145, 240)]], width=20)
    seven = preprocess.render_strokes([[(70, 50), (215, 50), (185, 110), (120, 245)]], width=20)
    for drawing, digit in ((one, 1), (seven, 7)):
        x = preprocess.to_mnist(drawing, **shipped["preprocess"]).reshape(-1)
        p = js_forward(shipped, x)
        np.testing.assert_allclose(p, net.predict_proba(x[None])[0], atol=1e-5)
        assert int(p.argmax()) == digit


# ---- the notebook's drawing pad ---------------------------------------------------------------
def test_drawing_pad_predicts_what_is_drawn():
    pytest.importorskip("anywidget")
    import matplotlib
    matplotlib.use("Agg")
    net = web.from_dict(json.loads(MODEL_FILE.read_text()))
    box = web.drawing_pad(net)
    assert "Draw a digit" in box.output.outputs[0]["text"]
    one = preprocess.render_strokes([[(150, 40), (145, 240)]], width=20)
    # what the canvas sends reaches the kernel as a binary buffer, i.e. a memoryview
    box.pad.set_state({"image": memoryview(np.round(255 * one).astype(np.uint8).tobytes())})
    out = box.output.outputs[0]
    assert out["data"]["text/plain"] == "prediction: 1" and "image/png" in out["data"]
    box.pad.set_state({"image": memoryview(b"")})          # the Clear button
    assert "Draw a digit" in box.output.outputs[0]["text"]
