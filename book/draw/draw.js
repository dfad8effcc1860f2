/* draw.js: draw a digit and let a neural network read it, entirely in the page.
   Chapter 12 of "Neural networks from scratch" (chapters/12_draw_a_digit.ipynb).

   Plain JavaScript: no framework, no server, nothing fetched but the model file. Every element
   with id "draw-digit" (or class "draw-digit") becomes a drawing pad. The network comes from a
   JSON file written by mlp.book.web.export (default: digit_model.json beside this script; override
   with data-model="url" on the element). What happens on every stroke:

     1. the canvas's alpha channel (ink) is read as a 280x280 grayscale image;
     2. toMnist() prepares it like an MNIST digit: a line-by-line port of
        mlp.data.preprocess.to_mnist (crop to the ink, thicken thin strokes, area-average into a
        20x20 box, centre the centre of mass at pixel (14, 14) of a 28x28 image);
     3. forward() runs the network: a matrix-vector product and an activation per layer;
     4. the ten probabilities are drawn as bars, and the 28x28 input is shown.

   window.drawDigit exposes the pieces (toMnist, forward, parseModel, ...) and, once the model
   is loaded, the pads (drawDigit.ready resolves with them); tests/test_draw_page.py drives it
   in headless Chromium through pad.strokeFrom(points). */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var BASE = (SCRIPT && SCRIPT.src) || document.baseURI;

  // ---- preprocessing: mlp/data/preprocess.py, function by function -------------------------------
  function EmptyCanvasError(message) {
    this.name = "EmptyCanvasError";
    this.message = message;
  }
  EmptyCanvasError.prototype = Object.create(Error.prototype);

  function roundHalfUp(x) { return Math.floor(x + 0.5); }

  function Img(h, w, data) {  // a grayscale image: h rows of w pixels, row-major float64
    this.h = h; this.w = w; this.data = data || new Float64Array(h * w);
  }

  function asGrayscale(values, h, w) {
    var img = new Img(h, w), peak = 0, i;
    for (i = 0; i < h * w; i++) peak = Math.max(peak, values[i]);
    if (!(peak > 0)) throw new EmptyCanvasError("the canvas is blank: draw a digit first");
    for (i = 0; i < h * w; i++) img.data[i] = Math.min(Math.max(values[i] / peak, 0), 1);
    return img;
  }

  function boundingBox(img, threshold) {  // {top, bottom, left, right}, bottom/right exclusive
    var top = img.h, bottom = 0, left = img.w, right = 0;
    for (var r = 0; r < img.h; r++) {
      for (var c = 0; c < img.w; c++) {
        if (img.data[r * img.w + c] > threshold) {
          top = Math.min(top, r); bottom = Math.max(bottom, r + 1);
          left = Math.min(left, c); right = Math.max(right, c + 1);
        }
      }
    }
    if (bottom === 0) throw new EmptyCanvasError("no pixel is above the ink threshold");
    return { top: top, bottom: bottom, left: left, right: right };
  }

  function crop(img, box) {
    var out = new Img(box.bottom - box.top, box.right - box.left);
    for (var r = 0; r < out.h; r++) {
      for (var c = 0; c < out.w; c++) {
        out.data[r * out.w + c] = img.data[(r + box.top) * img.w + c + box.left];
      }
    }
    return out;
  }

  function pad(img, p) {  // p zero pixels on every side
    var out = new Img(img.h + 2 * p, img.w + 2 * p);
    for (var r = 0; r < img.h; r++) {
      for (var c = 0; c < img.w; c++) out.data[(r + p) * out.w + c + p] = img.data[r * img.w + c];
    }
    return out;
  }

  function boxWeights(nIn, nOut) {  // (nOut, nIn): row i averages what output cell i covers
    var step = nIn / nOut, weights = new Float64Array(nOut * nIn);
    for (var i = 0; i < nOut; i++) {
      var lo = i * step, hi = (i + 1) * step;
      for (var j = 0; j < nIn; j++) {
        var overlap = Math.min(hi, j + 1) - Math.max(lo, j);
        weights[i * nIn + j] = overlap > 0 ? overlap / step : 0;
      }
    }
    return weights;
  }

  function boxResize(img, h, w) {  // rows @ img @ cols^T: area averaging
    var rows = boxWeights(img.h, h), cols = boxWeights(img.w, w);
    var tmp = new Float64Array(h * img.w), out = new Img(h, w), i, j, k, s;
    for (i = 0; i < h; i++) {
      for (k = 0; k < img.h; k++) {
        var weight = rows[i * img.h + k];
        if (weight === 0) continue;
        for (j = 0; j < img.w; j++) tmp[i * img.w + j] += weight * img.data[k * img.w + j];
      }
    }
    for (i = 0; i < h; i++) {
      for (j = 0; j < w; j++) {
        s = 0;
        for (k = 0; k < img.w; k++) s += tmp[i * img.w + k] * cols[j * img.w + k];
        out.data[i * w + j] = s;
      }
    }
    return out;
  }

  function centreOfMass(img) {
    var mass = 0, row = 0, col = 0;
    for (var r = 0; r < img.h; r++) {
      for (var c = 0; c < img.w; c++) {
        var v = img.data[r * img.w + c];
        mass += v; row += r * v; col += c * v;
      }
    }
    if (!(mass > 0)) throw new EmptyCanvasError("an image without ink has no centre of mass");
    return [row / mass, col / mass];
  }

  function strokeWidth(img, level) {  // 2 * area / perimeter of the pixels > level
    var area = 0, perimeter = 0, h = img.h, w = img.w;
    function ink(r, c) { return r >= 0 && r < h && c >= 0 && c < w && img.data[r * w + c] > level; }
    for (var r = -1; r < h; r++) {
      for (var c = -1; c < w; c++) {
        var here = ink(r, c);
        if (here) area++;
        if (c >= 0 && here !== ink(r + 1, c)) perimeter++;
        if (r >= 0 && here !== ink(r, c + 1)) perimeter++;
      }
    }
    return area ? 2 * area / perimeter : 0;
  }

  function dilate(img) {  // each pixel: the max of itself and its 4 neighbours
    var out = new Img(img.h, img.w), h = img.h, w = img.w, d = img.data;
    for (var r = 0; r < h; r++) {
      for (var c = 0; c < w; c++) {
        var i = r * w + c, v = d[i];
        if (r > 0) v = Math.max(v, d[i - w]);
        if (r < h - 1) v = Math.max(v, d[i + w]);
        if (c > 0) v = Math.max(v, d[i - 1]);
        if (c < w - 1) v = Math.max(v, d[i + 1]);
        out.data[i] = v;
      }
    }
    return out;
  }

  function thicken(img, pixels) {
    while (pixels > 0) {
      var t = Math.min(pixels, 1), grown = dilate(img);
      for (var i = 0; i < img.data.length; i++) {
        grown.data[i] = (1 - t) * img.data[i] + t * grown.data[i];
      }
      img = grown;
      pixels -= t;
    }
    return img;
  }

  function thickenTo(img, width, threshold) {
    var grow = (width - strokeWidth(img, 0.5)) / 2;
    if (grow <= 0) return img;
    img = thicken(pad(img, Math.ceil(grow) + 1), grow);
    return crop(img, boundingBox(img, threshold));
  }

  function fitSize(h, w, box) {
    var scale = box / Math.max(h, w);
    return [Math.max(1, roundHalfUp(h * scale)), Math.max(1, roundHalfUp(w * scale))];
  }

  /* A drawn digit prepared like MNIST's (mlp.data.preprocess.to_mnist): values (h*w, ink high,
     row-major) -> Float64Array(size*size) in [0, 1]. Throws EmptyCanvasError on a blank image. */
  function toMnist(values, h, w, options) {
    var o = options || {}, box = o.box || 20, size = o.size || 28;
    var threshold = o.threshold === undefined ? 0.1 : o.threshold;
    var centre = o.centre || [14, 14], minStroke = o.min_stroke;
    var a = asGrayscale(values, h, w);
    var digitCrop = crop(a, boundingBox(a, threshold));
    if (minStroke !== undefined && minStroke !== null) {
      digitCrop = thickenTo(digitCrop, minStroke * Math.max(digitCrop.h, digitCrop.w) / box,
                            threshold);
    }
    var hw = fitSize(digitCrop.h, digitCrop.w, box);
    var digit = boxResize(digitCrop, hw[0], hw[1]);
    var out = new Img(size, size), r0 = Math.floor((size - hw[0]) / 2);
    var c0 = Math.floor((size - hw[1]) / 2), r, c;
    for (r = 0; r < hw[0]; r++) {
      for (c = 0; c < hw[1]; c++) out.data[(r0 + r) * size + c0 + c] = digit.data[r * hw[1] + c];
    }
    var com = centreOfMass(out);
    var dr = Math.min(Math.max(roundHalfUp(centre[0] - com[0]), -r0), size - hw[0] - r0);
    var dc = Math.min(Math.max(roundHalfUp(centre[1] - com[1]), -c0), size - hw[1] - c0);
    var shifted = new Float64Array(size * size), peak = 0;
    for (r = 0; r < hw[0]; r++) {
      for (c = 0; c < hw[1]; c++) {
        var v = out.data[(r0 + r) * size + c0 + c];
        shifted[(r0 + r + dr) * size + c0 + c + dc] = v;
        peak = Math.max(peak, v);
      }
    }
    for (r = 0; r < size * size; r++) shifted[r] /= peak;
    return shifted;
  }

  // ---- the network ---------------------------------------------------------------------------
  function halfToFloat(bits) {
    var sign = bits & 0x8000 ? -1 : 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
    if (exponent === 0) return sign * Math.pow(2, -14) * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
  }

  function decode(text, dtype, n) {  // base64 of little-endian float32/float16 -> Float64Array
    var bytes = atob(text), view = new DataView(new ArrayBuffer(bytes.length));
    for (var i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
    var width = dtype === "float16" ? 2 : 4, out = new Float64Array(n);
    if (bytes.length !== n * width) throw new Error("expected " + n + " " + dtype + " numbers");
    for (i = 0; i < n; i++) {
      out[i] = width === 2 ? halfToFloat(view.getUint16(2 * i, true)) : view.getFloat32(4 * i, true);
    }
    return out;
  }

  /* The object forward() needs, from the JSON written by mlp.book.web.export. */
  function parseModel(json) {
    if (json.format !== "mlp-book-web" || json.version !== 1) {
      throw new Error("not an mlp-book-web model (version 1)");
    }
    var layers = json.layers.map(function (layer, l) {
      var nIn = json.sizes[l], nOut = json.sizes[l + 1];
      return { nIn: nIn, nOut: nOut, activation: json.activations[l],
               W: decode(layer.W, json.dtype, nIn * nOut), b: decode(layer.b, json.dtype, nOut) };
    });
    return { sizes: json.sizes, layers: layers, preprocess: json.preprocess || {},
             labels: json.labels, metadata: json.metadata || {} };
  }

  function activate(z, activation) {  // in place; the same functions as mlp.activations
    var i, name = activation.name;
    if (name === "softmax") {
      var max = -Infinity, sum = 0;
      for (i = 0; i < z.length; i++) max = Math.max(max, z[i]);
      for (i = 0; i < z.length; i++) { z[i] = Math.exp(z[i] - max); sum += z[i]; }
      for (i = 0; i < z.length; i++) z[i] /= sum;
      return z;
    }
    for (i = 0; i < z.length; i++) {
      var v = z[i];
      if (name === "relu") z[i] = v > 0 ? v : 0;
      else if (name === "leaky_relu") z[i] = v > 0 ? v : activation.alpha * v;
      else if (name === "sigmoid") z[i] = 1 / (1 + Math.exp(-v));
      else if (name === "tanh") z[i] = Math.tanh(v);
      else if (name !== "identity") throw new Error("unknown activation " + name);
    }
    return z;
  }

  /* The network's output for one input x (length sizes[0]): z = a W + b, a = f(z), per layer. */
  function forward(model, x) {
    var a = Float64Array.from(x);
    model.layers.forEach(function (layer) {
      var z = Float64Array.from(layer.b);
      for (var i = 0; i < layer.nIn; i++) {
        var ai = a[i];
        if (ai === 0) continue;  // most pixels are blank, half the ReLUs are off
        var row = i * layer.nOut;
        for (var j = 0; j < layer.nOut; j++) z[j] += ai * layer.W[row + j];
      }
      a = activate(z, layer.activation);
    });
    return a;
  }

  function loadModel(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
      return response.json();
    }).then(parseModel);
  }

  // ---- the page: a pad to draw on, the 28x28 input, the probabilities ------------------------
  function element(tag, className, parent, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function Pad(root, options) {
    this.root = root;
    this.size = options.size || 280;
    this.pen = options.pen || 20;
    this.model = null;
    this.last = null;
    this.result = null;
    root.textContent = "";
    root.classList.add("dd-root");
    var left = element("div", "dd-left", root);
    this.canvas = element("canvas", "dd-canvas", left);
    this.canvas.width = this.canvas.height = this.size;
    this.canvas.setAttribute("aria-label", "Drawing area: draw a digit from 0 to 9");
    this.canvas.setAttribute("role", "img");
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    var buttons = element("div", "dd-buttons", left);
    this.clearButton = element("button", "dd-clear", buttons, "Clear");
    this.clearButton.type = "button";
    this.status = element("span", "dd-status", buttons, "Loading the network…");
    var seen = element("div", "dd-seen", root);
    this.input = element("canvas", "dd-input", seen);
    this.input.width = this.input.height = 28;
    element("div", "dd-caption", seen, "what the network sees (28×28)");
    var result = element("div", "dd-result", root);
    this.prediction = element("div", "dd-prediction", result, "?");
    element("div", "dd-caption", result, "prediction");
    this.bars = element("div", "dd-bars", result);
    this.rows = [];
    for (var k = 0; k < 10; k++) {
      var row = element("div", "dd-row", this.bars);
      element("span", "dd-label", row, String(k));
      var track = element("span", "dd-track", row);
      this.rows.push({ row: row, fill: element("span", "dd-fill", track),
                       value: element("span", "dd-value", row, "") });
    }
    this.listen();
  }

  Pad.prototype.point = function (e) {
    var r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.size / r.width, (e.clientY - r.top) * this.size / r.height];
  };

  Pad.prototype.line = function (p, q) {
    var ctx = this.ctx;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = this.pen;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
    ctx.lineTo(q[0], q[1]);
    ctx.stroke();
  };

  Pad.prototype.listen = function () {
    var self = this, drawing = false, pending = false;
    function schedule() {  // predict at most once per frame while drawing
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; self.predict(); });
    }
    function start(e) { drawing = true; self.last = self.point(e); self.line(self.last, self.last); schedule(); }
    function move(e) {
      if (!drawing) return;
      var p = self.point(e);
      self.line(self.last, p);
      self.last = p;
      schedule();
    }
    function end() { if (drawing) { drawing = false; self.predict(); } }
    var c = this.canvas;
    if (window.PointerEvent) {
      c.addEventListener("pointerdown", function (e) {
        e.preventDefault();
        try { c.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic event */ }
        start(e);
      });
      c.addEventListener("pointermove", move);
      c.addEventListener("pointerup", end);
      c.addEventListener("pointercancel", end);
    } else {  // older browsers: mouse and touch events
      c.addEventListener("mousedown", start);
      c.addEventListener("mousemove", move);
      window.addEventListener("mouseup", end);
      c.addEventListener("touchstart", function (e) { e.preventDefault(); start(e.touches[0]); });
      c.addEventListener("touchmove", function (e) { e.preventDefault(); move(e.touches[0]); });
      c.addEventListener("touchend", end);
    }
    this.clearButton.addEventListener("click", function () { self.clear(); });
  };

  /* Draw a polyline [[x, y], ...] in canvas pixels with the pen, then predict (used by tests). */
  Pad.prototype.strokeFrom = function (points) {
    this.line(points[0], points[0]);
    for (var i = 1; i < points.length; i++) this.line(points[i - 1], points[i]);
    return this.predict();
  };

  Pad.prototype.image = function () {  // the canvas's alpha channel: ink, 0..255
    var rgba = this.ctx.getImageData(0, 0, this.size, this.size).data;
    var alpha = new Float64Array(this.size * this.size);
    for (var i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
    return alpha;
  };

  /* Preprocess the drawing, run the network, show both; returns {digit, probabilities, input}
     or null when the canvas is blank or the model is not loaded yet. */
  Pad.prototype.predict = function () {
    if (!this.model) return null;
    var x;
    try {
      x = toMnist(this.image(), this.size, this.size, this.model.preprocess);
    } catch (err) {
      if (!(err instanceof EmptyCanvasError)) throw err;
      this.show(null, null);
      return null;
    }
    var p = forward(this.model, x), digit = 0;
    for (var k = 1; k < p.length; k++) if (p[k] > p[digit]) digit = k;
    this.result = { digit: digit, probabilities: Array.from(p), input: Array.from(x) };
    this.show(x, p);
    return this.result;
  };

  Pad.prototype.show = function (x, p) {
    var ctx = this.input.getContext("2d"), image = ctx.createImageData(28, 28);
    for (var i = 0; i < 28 * 28; i++) {
      var v = x ? Math.round(255 * (1 - x[i])) : 255;
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    var best = p ? this.result.digit : -1;
    this.prediction.textContent = p ? String(best) : "?";
    this.rows.forEach(function (r, k) {
      var value = p ? p[k] : 0;
      r.fill.style.width = (100 * value).toFixed(1) + "%";
      r.value.textContent = p ? value.toFixed(2) : "";
      r.row.classList.toggle("dd-top", k === best);
    });
    this.status.textContent = p ? "" : "Draw a digit from 0 to 9.";
  };

  Pad.prototype.clear = function () {
    this.ctx.clearRect(0, 0, this.size, this.size);
    this.result = null;
    this.show(null, null);
  };

  function ensureStylesheet() {
    var href = new URL("draw.css", BASE).href;
    var present = Array.prototype.some.call(document.querySelectorAll("link[rel=stylesheet]"),
                                            function (l) { return l.href === href; });
    if (present) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  var pads = [];
  var ready = new Promise(function (resolve) {
    function init() {
      var roots = document.querySelectorAll("#draw-digit, .draw-digit");
      if (!roots.length) { resolve(pads); return; }
      ensureStylesheet();
      var loads = Array.prototype.map.call(roots, function (root) {
        var pad = new Pad(root, { pen: Number(root.getAttribute("data-pen")) || 20 });
        pads.push(pad);
        var url = new URL(root.getAttribute("data-model") || "digit_model.json", BASE).href;
        return loadModel(url).then(function (model) {
          pad.model = model;
          pad.show(null, null);
        }, function (err) {
          pad.status.textContent = "Could not load the network (" + err.message + ").";
          pad.status.classList.add("dd-error");
        });
      });
      Promise.all(loads).then(function () { resolve(pads); });
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
  });

  window.drawDigit = {
    toMnist: toMnist, forward: forward, parseModel: parseModel, loadModel: loadModel,
    decode: decode, halfToFloat: halfToFloat, strokeWidth: function (values, h, w, level) {
      return strokeWidth(new Img(h, w, Float64Array.from(values)), level === undefined ? 0.5 : level);
    },
    EmptyCanvasError: EmptyCanvasError, Pad: Pad, pads: pads, ready: ready
  };
})();
