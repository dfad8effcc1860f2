"""A trained network in the browser: export to JSON, and the notebook's drawing pad (chapter 12).

The online book recognises digits with no server: book/draw/draw.js reads a JSON file written
by ``export`` and runs the same preprocessing (mlp.data.preprocess.to_mnist) and the same forward
pass (matrix-vector products, activations) in the page.

    net, history = digit_model()                     # 784-100-10 ReLU/softmax, trained once, cached
    export(net, "book/draw/digit_model.json", dtype="float16")   # ~210 KB of base64
    python -m mlp.book.web book/draw/digit_model.json     # the same from a shell

The file holds ``format``, ``version``, ``sizes``, ``activations`` (one name per layer), ``loss``
and, per layer, ``W`` (n_in, n_out) and ``b`` (n_out,) as base64 of little-endian float32 (or
float16, or float64) in row-major order, plus the preprocessing settings the page must use.
The online book's live widgets (book/live/mlp.js, ``mlpjs.fromJSON``) read the same format;
tests/test_live_parity.py exports float64 networks to check their gradients against mlp's.
"""
import argparse
import base64
import json
import sys
from pathlib import Path

import numpy as np

from ..data import load_mnist, preprocess
from ..io import atomic_write
from ..network import MLP
from ..training import exponential_decay
from . import cache, plots

FORMAT = "mlp-book-web"
VERSION = 1
#: Activations draw.js implements (its forward pass has one line for each).
JS_ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax")
DTYPES = ("float32", "float16", "float64")
#: The loss of a network, as the file names it (mlp.losses.get_loss reads these names).
LOSS_NAMES = {"mse": "mse", "binary_cross_entropy": "binary_cross_entropy",
              "categorical_cross_entropy": "cross_entropy"}
#: The preprocessing the page applies before the forward pass: mlp.data.preprocess.to_mnist's
#: arguments, with thin strokes thickened to MNIST's typical width of 2 pixels.
PREPROCESS = dict(box=20, size=28, threshold=0.1, centre=list(preprocess.MNIST_CENTRE),
                  min_stroke=2.0)


# ---- export and import -----------------------------------------------------------------------
def encode(array, dtype="float32"):
    """base64 text of ``array`` as little-endian ``dtype``, row-major."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
    data = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    return base64.b64encode(data.tobytes()).decode("ascii")


def decode(text, shape, dtype="float32"):
    """The array (shape) that ``encode`` wrote, as float32 (float64 if it was stored so)."""
    data = np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<"))
    if data.size != int(np.prod(shape)):
        raise ValueError(f"expected {int(np.prod(shape))} numbers for shape {tuple(shape)}, "
                         f"found {data.size}")
    return data.reshape(shape).astype(np.float64 if dtype == "float64" else np.float32)


def _activation_spec(activation):
    """The JSON description of one activation, if draw.js can run it."""
    config = activation.config()
    if config["name"] not in JS_ACTIVATIONS:
        raise ValueError(f"draw.js cannot run the activation {config['name']!r}; supported: "
                         f"{', '.join(JS_ACTIVATIONS)}")
    return config


def to_dict(net, dtype="float32", metadata=None):
    """The JSON-able description of ``net`` that draw.js reads."""
    return dict(format=FORMAT, version=VERSION, sizes=list(net.sizes), dtype=dtype,
                activations=[_activation_spec(layer.activation) for layer in net.layers],
                loss=LOSS_NAMES[net.loss_fn.name],
                layers=[dict(W=encode(layer.W, dtype), b=encode(layer.b, dtype))
                        for layer in net.layers],
                preprocess=dict(PREPROCESS), labels=[str(k) for k in range(net.sizes[-1])],
                metadata=dict(metadata or {}))


def to_json(net, dtype="float32", metadata=None):
    """``to_dict`` as compact JSON text."""
    return json.dumps(to_dict(net, dtype, metadata), separators=(",", ":"))


def export(net, path, dtype="float32", metadata=None):
    """Write ``net`` for the browser to ``path`` (atomically); returns the Path."""
    return atomic_write(path, to_json(net, dtype, metadata) + "\n")


def from_dict(model):
    """An MLP with the weights of an exported model (a dict as ``to_dict`` makes): float32, or
    float64 if the file stores float64. Files without a ``loss`` (written before it was
    recorded) get cross-entropy after a softmax output and MSE after any other."""
    if model.get("format") != FORMAT or model.get("version") != VERSION:
        raise ValueError(f"not a {FORMAT} version {VERSION} model: format "
                         f"{model.get('format')!r}, version {model.get('version')!r}")
    sizes, dtype, acts = model["sizes"], model["dtype"], model["activations"]
    loss = model.get("loss") or ("cross_entropy" if acts[-1]["name"] == "softmax" else "mse")
    net = MLP(sizes, activation=acts[:-1], output=acts[-1], loss=loss,
              dtype=np.float64 if dtype == "float64" else np.float32)
    for layer, stored, n_in, n_out in zip(net.layers, model["layers"], sizes[:-1], sizes[1:]):
        layer.W[...] = decode(stored["W"], (n_in, n_out), dtype)
        layer.b[...] = decode(stored["b"], (n_out,), dtype)
    return net


def load(path):
    """The MLP in an exported JSON file."""
    return from_dict(json.loads(Path(path).read_text()))


# ---- the page's network ----------------------------------------------------------------------
#: Small enough for a page (79,510 numbers: ~210 KB as base64 float16), trained in seconds.
DIGIT_MODEL = dict(sizes=[784, 100, 10], activation="relu", output="softmax",
                   loss="cross_entropy", init="he_normal", seed=0)
DIGIT_TRAINING = dict(epochs=5, batch_size=128, learning_rate=2e-3, decay=0.7)
DIGIT_DTYPE = "float16"


def train_digit_model(X, y, seed=0):
    """(net, history): DIGIT_MODEL trained on (X, y) with Adam, the learning rate decaying
    exponentially, for DIGIT_TRAINING's epochs."""
    net = MLP(**dict(DIGIT_MODEL, seed=seed))
    t = DIGIT_TRAINING
    history = net.fit(X, y, epochs=t["epochs"], batch_size=t["batch_size"], optimizer="adam",
                      lr=t["learning_rate"],
                      schedule=exponential_decay(t["learning_rate"], t["decay"]))
    return net, history


def digit_model(refresh=False):
    """(net, history) of the page's network trained on all of MNIST's training set: trained once,
    then loaded from the cache (mlp.book.cache)."""

    def train():
        (X, y), _ = load_mnist()
        return train_digit_model(X, y)
    return cache.cached("web_digit_784_100_10_v1", train, refresh=refresh)


# ---- chapter 11's panel in the page: its MNIST subset -----------------------------------------
#: Chapter 11's slice of MNIST: 5,000 training images (500 per digit) from the first 50,000 of
#: the training set and 2,000 validation images (200 per digit) from the last 10,000, drawn
#: with stratified_subset(seed=0), exactly as the chapter's first cells draw them.
SUBSET = dict(n_validation=10000, n_train=5000, n_val=2000, seed=0)
SUBSET_MAGIC = b"MLPMNIST"


def mnist_subset(data_dir=None, download=True):
    """((X_train, y_train), (X_val, y_val)) of chapter 11's panel as uint8 pixels (0..255) and
    uint8 labels: X (5000, 784) and (2000, 784). The same images, in the same order, as the
    chapter's float32 arrays (which are these divided by 255)."""
    from ..data import stratified_subset, train_validation_split
    (X, y), _ = load_mnist(data_dir=data_dir, download=download, normalize=False, dtype=np.uint8)
    (X_fit, y_fit), (X_hold, y_hold) = train_validation_split(
        X, y, n_validation=SUBSET["n_validation"])
    train = stratified_subset(X_fit, y_fit, SUBSET["n_train"], seed=SUBSET["seed"])
    val = stratified_subset(X_hold, y_hold, SUBSET["n_val"], seed=SUBSET["seed"])
    return tuple((np.ascontiguousarray(Xs, np.uint8), ys.astype(np.uint8)) for Xs, ys in (train, val))


def subset_bytes(train, val):
    """The file book/live/mnist_worker.js reads: b"MLPMNIST", little-endian uint32 version (1),
    n_train, n_val, n_pixels, then the training images (uint8, row-major), their labels, the
    validation images, their labels."""
    (X_train, y_train), (X_val, y_val) = train, val
    header = SUBSET_MAGIC + np.array([1, len(X_train), len(X_val), X_train.shape[1]], "<u4").tobytes()
    return b"".join([header, X_train.tobytes(), y_train.tobytes(), X_val.tobytes(), y_val.tobytes()])


def write_mnist_subset(path, data_dir=None, download=True):
    """Write chapter 11's subset for the page's MNIST panel to ``path`` (atomically; ~5.5 MB);
    returns the Path. Raises mlp.data.DataNotFoundError (with where it looked) if MNIST is
    nowhere to be found."""
    return atomic_write(path, subset_bytes(*mnist_subset(data_dir, download)))


# ---- the notebook's drawing pad (needs anywidget, ipywidgets and matplotlib) -------------------
#: The pad's JavaScript (an anywidget ES module); tests/test_draw_page.py runs it in Chromium.
PAD_JS = """
function render({ model, el }) {
  const size = model.get("size"), pen = model.get("pen");
  const canvas = document.createElement("canvas");
  canvas.width = size; canvas.height = size;
  canvas.style.cssText = "width:" + size + "px;height:" + size + "px;background:#fff;" +
    "border:2px solid #888;border-radius:6px;touch-action:none;cursor:crosshair";
  const clear = document.createElement("button");
  clear.textContent = "Clear";
  clear.style.cssText = "display:block;margin-top:6px;padding:4px 14px";
  const ctx = canvas.getContext("2d");
  let drawing = false, last = null;
  function at(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * size / r.width, (e.clientY - r.top) * size / r.height];
  }
  function line(p, q) {
    ctx.strokeStyle = "#000"; ctx.lineWidth = pen; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(q[0], q[1]); ctx.stroke();
  }
  function send() {
    const rgba = ctx.getImageData(0, 0, size, size).data, alpha = new Uint8Array(size * size);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
    model.set("image", new DataView(alpha.buffer)); model.save_changes();
  }
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true; last = at(e); line(last, last);
    try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic event */ }
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return; const p = at(e); line(last, p); last = p;
  });
  const stop = () => { if (drawing) { drawing = false; send(); } };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  clear.addEventListener("click", () => { ctx.clearRect(0, 0, size, size); send(); });
  el.appendChild(canvas); el.appendChild(clear);
}
export default { render };
"""


def _pad_class():
    import anywidget
    import traitlets
    from ipywidgets.widgets.trait_types import bytes_serialization

    class DrawingPad(anywidget.AnyWidget):
        """A canvas to draw on; ``image`` holds its alpha channel (size*size bytes, row-major)
        after every stroke, empty bytes when cleared."""
        _esm = PAD_JS
        size = traitlets.Int(280).tag(sync=True)
        pen = traitlets.Float(20.0).tag(sync=True)
        # the browser sends a binary buffer, which arrives as a memoryview: convert it to bytes
        image = traitlets.Bytes(b"").tag(sync=True, **bytes_serialization)

        def array(self):
            """The drawing as (size, size) uint8, ink = 255, or None if the pad is blank."""
            data = np.frombuffer(self.image, dtype=np.uint8)
            if data.size != self.size ** 2 or not data.any():
                return None
            return data.reshape(self.size, self.size)
    return DrawingPad


def drawing_pad(net, size=280, pen=20.0):
    """A live widget: draw a digit, see ``net``'s probabilities and the 28x28 input it got.

    Needs a running kernel and the anywidget package (pip install anywidget); the online
    book's pages use book/draw/draw.js instead. Returns an HBox (pad | output) with ``.pad``,
    ``.output`` and ``.update()`` (redraws from the pad's current image).
    """
    import ipywidgets as widgets

    pad = _pad_class()(size=size, pen=pen)
    out = widgets.Output(layout=widgets.Layout(min_width="520px"))
    box = widgets.HBox([pad, out])
    box.pad, box.output = pad, out
    box.update = lambda *_: _show_prediction(out, net, pad.array())
    pad.observe(box.update, names="image")
    box.update()
    return box


def _show_prediction(out, net, drawing):
    """Fill Output ``out``: the network's input and probabilities as a PNG, or a prompt."""
    if drawing is None:
        out.outputs = ({"output_type": "stream", "name": "stdout",
                        "text": "Draw a digit on the canvas (mouse, pen or finger).\n"},)
        return
    import io

    from matplotlib.figure import Figure

    x = preprocess.to_mnist(drawing, **PREPROCESS)
    p = net.predict_proba(x.reshape(1, -1))[0]
    fig = Figure(figsize=(7, 2.8), layout="constrained")
    ax_img, ax_bar = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 2]))
    ax_img.imshow(x, cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_title("what the network sees (28x28)", fontsize=10)
    ax_img.set_xticks([]), ax_img.set_yticks([])
    plots.probability_bars(p, ax=ax_bar)
    ax_bar.set_title(f"prediction: {int(p.argmax())}", fontsize=12)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    data = {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
            "text/plain": f"prediction: {int(p.argmax())}"}
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


# ---- command line ------------------------------------------------------------------------------
def main(argv=None):
    """``python -m mlp.book.web [PATH]``: train (or load) the page's network and export it."""
    parser = argparse.ArgumentParser(prog="python -m mlp.book.web",
                                     description="Export the draw-a-digit page's network (chapter 12).")
    parser.add_argument("path", nargs="?", type=Path, default=Path("book/draw/digit_model.json"),
                        help="where to write the JSON model (default: %(default)s)")
    path = parser.parse_args(argv).path
    net, _ = digit_model()
    (_, _), (X_test, y_test) = load_mnist()
    accuracy = net.accuracy(X_test, y_test)
    export(net, path, dtype=DIGIT_DTYPE, metadata=dict(
        name="784-100-10 ReLU/softmax, Adam, 5 epochs", test_accuracy=round(accuracy, 4)))
    print(f"wrote {path}: {path.stat().st_size / 1024:.0f} KB, test accuracy {accuracy:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
