/* ui.js: what the online book's live widgets share: controls, plots, colours, and the state in
   the page address (the "link to this setup").

   Every element with class "mlp-live" and a data-live="name" attribute becomes the widget that
   registered that name (mlpLive.register), once the page has loaded. The Sphinx extension
   book/_ext/mlp_live.py writes these elements into the online book: in place of a notebook
   cell's ipywidgets output (book/live/cells.yml says which), or where a page has a
   `live-widget` directive. data-options holds JSON the book wrote (never the reader).

   The state in the address. A widget's settings can be written after the # of the address:
       playground.html#live=playground&dataset=spirals&hidden=8,8&lr=0.03
   The text there comes from whoever made the link, so it is read strictly (readHash): every
   key must be one the widget knows, every value must parse as its type (plain decimal
   numbers, names from a fixed list, lists of whole numbers), numbers outside their range are
   clamped, anything else is refused and its default kept, and each such decision is shown to
   the reader in the widget. Nothing from the address is ever evaluated or written into the
   page as HTML: values only reach the page as numbers, as one of the widget's own names, or
   through textContent. */
(function () {
  "use strict";

  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"];  // mlp.book.plots
  var MAX_HASH = 1000, MAX_VALUE = 100;

  // ---- the DOM, by textContent only ---------------------------------------------------------
  function el(tag, className, parent, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function fmt(x, digits) {  // a short, exact-enough number: 0.03, 1e-4, 250
    if (!isFinite(x)) return String(x);
    return String(Number(x.toPrecision(digits || 3)));
  }

  /* A labelled range input. spec: {label, min, max, step, value, log (the slider moves the
     base-10 exponent), format(v) -> text}. Returns {root, input, value(), set(v), onChange}. */
  function slider(parent, spec) {
    var root = el("label", "ml-control", parent);
    el("span", "ml-label", root, spec.label);
    var input = el("input", "ml-slider", root);
    var readout = el("span", "ml-readout", root);
    input.type = "range";
    input.min = spec.min; input.max = spec.max; input.step = spec.step;
    var value = spec.value, format = spec.format || function (v) { return fmt(v); };
    var control = {
      root: root, input: input, onChange: null,
      value: function () { return value; },
      set: function (v) {
        value = v;
        input.value = spec.log ? Math.log10(v) : v;
        readout.textContent = format(v);
      }
    };
    input.addEventListener("input", function () {
      var pos = Number(input.value);
      value = spec.log ? Number(Math.pow(10, pos).toPrecision(2)) : pos;
      readout.textContent = format(value);
      if (control.onChange) control.onChange(value);
    });
    control.set(value);
    return control;
  }

  /* A labelled <select>; options: [[value, label], ...] or [value, ...]. */
  function select(parent, spec) {
    var root = el("label", "ml-control", parent);
    el("span", "ml-label", root, spec.label);
    var input = el("select", "ml-select", root);
    spec.options.forEach(function (o) {
      var pair = Array.isArray(o) ? o : [o, String(o)], option = el("option", null, input, pair[1]);
      option.value = String(pair[0]);
    });
    var kinds = {};
    spec.options.forEach(function (o) { var v = Array.isArray(o) ? o[0] : o; kinds[String(v)] = v; });
    var control = {
      root: root, input: input, onChange: null,
      value: function () { return kinds[input.value]; },
      set: function (v) { input.value = String(v); }
    };
    input.addEventListener("change", function () { if (control.onChange) control.onChange(control.value()); });
    control.set(spec.value);
    return control;
  }

  function button(parent, label, onClick, className) {
    var b = el("button", "ml-button" + (className ? " " + className : ""), parent, label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  /* A box for messages to the reader (refused settings, divergence); role=status so screen
     readers announce it. */
  function messageBox(parent) {
    var box = el("div", "ml-message", parent);
    box.setAttribute("role", "status");
    box.hidden = true;
    return {
      box: box,
      show: function (lines, kind) {
        box.textContent = "";
        box.className = "ml-message" + (kind ? " ml-" + kind : "");
        (Array.isArray(lines) ? lines : [lines]).forEach(function (line) { el("div", null, box, line); });
        box.hidden = !lines || !lines.length;
      },
      clear: function () { box.textContent = ""; box.hidden = true; },
      text: function () { return box.hidden ? "" : box.textContent; }
    };
  }

  // ---- the state in the address -----------------------------------------------------------
  var NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i, KEY = /^[a-z][a-z0-9_]{0,19}$/;

  /* The "#live=name&k=v&..." part of the address: null if the hash is not a live-widget link
     (a section anchor, say), else {name, pairs: [[k, v], ...], error}. */
  function parseHash(hash) {
    if (hash.charAt(0) === "#") hash = hash.slice(1);
    if (hash.indexOf("live=") !== 0) return null;
    if (hash.length > MAX_HASH) return { name: null, pairs: [], error: "The link's settings are too long (" + hash.length + " characters, at most " + MAX_HASH + "): ignored." };
    var parts = hash.split("&"), pairs = [], name = null;
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      var cut = parts[i].indexOf("="), key = cut < 0 ? parts[i] : parts[i].slice(0, cut), value;
      try {
        value = decodeURIComponent(cut < 0 ? "" : parts[i].slice(cut + 1));
      } catch (err) {
        return { name: null, pairs: [], error: "The link's settings are not valid URL text: ignored." };
      }
      if (!KEY.test(key) || value.length > MAX_VALUE || cut < 0) {
        return { name: null, pairs: [], error: "The link's settings are malformed (at \u201c" + parts[i].slice(0, 30) + "\u201d): ignored." };
      }
      if (i === 0) name = value; else pairs.push([key, value]);
    }
    return { name: name, pairs: pairs, error: null };
  }

  /* One value from the address, checked against its field of the widget's schema:
     {type: "number" | "int" | "choice" | "ints" | "bool", min, max, options, minLength,
     maxLength}. Returns {value, note}: value undefined = refused. */
  function parseValue(field, text) {
    var v, note = null;
    if (field.type === "number" || field.type === "int") {
      if (!NUMBER.test(text)) return { note: "is not a number" };
      v = Number(text);
      if (field.type === "int" && !Number.isInteger(v)) return { note: "is not a whole number" };
      if (v < field.min) { note = "is below the minimum " + fmt(field.min) + ": set to " + fmt(field.min); v = field.min; }
      if (v > field.max) { note = "is above the maximum " + fmt(field.max) + ": set to " + fmt(field.max); v = field.max; }
      return { value: v, note: note };
    }
    if (field.type === "choice") {
      return field.options.indexOf(text) >= 0 ? { value: text } : { note: "is not one of " + field.options.join(", ") };
    }
    if (field.type === "bool") {
      return text === "1" || text === "0" ? { value: text === "1" } : { note: "must be 0 or 1" };
    }
    if (field.type === "ints") {
      var items = text === "" ? [] : text.split(",");
      if (!items.every(function (s) { return /^\d{1,6}$/.test(s); })) return { note: "is not a list of whole numbers like 8,8" };
      if (items.length < field.minLength || items.length > field.maxLength) {
        return { note: "must list " + field.minLength + " to " + field.maxLength + " numbers" };
      }
      v = items.map(Number).map(function (n) {
        var c = Math.min(Math.max(n, field.min), field.max);
        if (c !== n) note = "has a size outside " + field.min + ".." + field.max + ": clamped";
        return c;
      });
      return { value: v, note: note };
    }
    throw new Error("unknown field type " + field.type);
  }

  /* The widget's state from the address: {state, messages, fromLink}. state starts from the
     defaults; only values that pass parseValue replace them. */
  function readHash(name, schema, hash) {
    var state = defaults(schema), messages = [], parsed = parseHash(hash === undefined ? location.hash : hash);
    if (!parsed) return { state: state, messages: messages, fromLink: false };
    if (parsed.error) return { state: state, messages: [parsed.error + " Showing the defaults."], fromLink: true };
    if (parsed.name !== name) return { state: state, messages: messages, fromLink: false, other: parsed.name };
    var seen = {};
    parsed.pairs.forEach(function (pair) {
      var key = pair[0], text = pair[1], shown = key + "=" + text.slice(0, 30);
      if (!Object.prototype.hasOwnProperty.call(schema, key)) { messages.push("Unknown setting \u201c" + shown + "\u201d: ignored."); return; }
      if (seen[key]) { messages.push("\u201c" + key + "\u201d is given twice: the first one is kept."); return; }
      seen[key] = true;
      var r = parseValue(schema[key], text);
      if (r.value === undefined) messages.push("\u201c" + shown + "\u201d " + r.note + ": the default " + show(schema[key].default) + " is kept.");
      else {
        if (r.note) messages.push("\u201c" + shown + "\u201d " + r.note + ".");
        state[key] = r.value;
      }
    });
    return { state: state, messages: messages, fromLink: true };
  }

  function defaults(schema) {
    var state = {};
    Object.keys(schema).forEach(function (k) { var d = schema[k].default; state[k] = Array.isArray(d) ? d.slice() : d; });
    return state;
  }

  function show(v) { return Array.isArray(v) ? (v.join(",") || "(none)") : typeof v === "boolean" ? (v ? "1" : "0") : String(v); }

  /* "#live=name&k=v...": the hash that readHash turns back into `state`. */
  function hashFor(name, schema, state) {
    return "#live=" + encodeURIComponent(name) + Object.keys(schema).map(function (k) {
      var v = state[k], f = schema[k];
      var text = f.type === "ints" ? v.join(",") : f.type === "bool" ? (v ? "1" : "0") :
                 f.type === "number" ? fmt(v, 6) : String(v);
      return "&" + k + "=" + encodeURIComponent(text);
    }).join("");
  }

  /* A "link to this setup" anchor, kept up to date with link.update(state). */
  function setupLink(parent, name, schema) {
    var a = el("a", "ml-link", parent, "link to this setup");
    a.title = "A link that opens this page with these settings";
    return {
      anchor: a,
      update: function (state) { a.href = hashFor(name, schema, state); }
    };
  }

  // ---- plots on a canvas ------------------------------------------------------------------------
  /* A canvas sized for the screen's pixel density; ctx draws in CSS pixels. */
  function canvas(parent, width, height, className, label) {
    var c = el("canvas", className || "ml-canvas", parent), ratio = window.devicePixelRatio || 1;
    c.width = Math.round(width * ratio);
    c.height = Math.round(height * ratio);
    c.style.width = width + "px";
    c.style.height = height + "px";
    c.setAttribute("role", "img");
    if (label) c.setAttribute("aria-label", label);
    var ctx = c.getContext("2d");
    ctx.scale(ratio, ratio);
    return { canvas: c, ctx: ctx, width: width, height: height };
  }

  function niceTicks(lo, hi, n, integer) {
    var span = hi - lo || 1, step = Math.pow(10, Math.floor(Math.log10(span / n))), err = n / span * step;
    if (err <= 0.15) step *= 10; else if (err <= 0.35) step *= 5; else if (err <= 0.75) step *= 2;
    if (integer) step = Math.max(1, Math.round(step));
    var ticks = [];
    for (var k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
    return ticks;
  }

  /* A line plot: plot(surface, {xlim, ylim, logy, integerX, xlabel, ylabel, title, series: [{x, y, color,
     dash, width, alpha}], hlines: [{y, color, dash}], vlines: [...], legend: [[label, color, dash]]}). */
  function linePlot(s, o) {
    var ctx = s.ctx, W = s.width, H = s.height, m = { l: 46, r: 10, t: o.title ? 22 : 8, b: 34 };
    var ty = o.logy ? function (v) { return Math.log10(v); } : function (v) { return v; };
    var y0 = ty(o.ylim[0]), y1 = ty(o.ylim[1]);
    function X(v) { return m.l + (v - o.xlim[0]) / (o.xlim[1] - o.xlim[0] || 1) * (W - m.l - m.r); }
    function Y(v) { return m.t + (1 - (ty(v) - y0) / (y1 - y0 || 1)) * (H - m.t - m.b); }
    ctx.clearRect(0, 0, W, H);
    ctx.font = "11px sans-serif";
    ctx.strokeStyle = "#bbb"; ctx.fillStyle = "#444"; ctx.lineWidth = 1;
    ctx.strokeRect(m.l, m.t, W - m.l - m.r, H - m.t - m.b);
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    niceTicks(o.xlim[0], o.xlim[1], 5, o.integerX).forEach(function (t) { ctx.fillText(fmt(t), X(t), H - m.b + 4); });
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    var yt = o.logy ? niceTicks(y0, y1, 4).filter(Number.isInteger).map(function (e) { return Math.pow(10, e); }) : niceTicks(o.ylim[0], o.ylim[1], 4);
    yt.forEach(function (t) { ctx.fillText(o.logy ? "1e" + Math.round(Math.log10(t)) : fmt(t), m.l - 4, Y(t)); });
    ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    if (o.xlabel) ctx.fillText(o.xlabel, m.l + (W - m.l - m.r) / 2, H - 2);
    if (o.title) { ctx.font = "12px sans-serif"; ctx.textBaseline = "top"; ctx.fillText(o.title, W / 2, 3); ctx.font = "11px sans-serif"; }
    if (o.ylabel) {
      ctx.save(); ctx.translate(11, m.t + (H - m.t - m.b) / 2); ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = "middle"; ctx.fillText(o.ylabel, 0, 0); ctx.restore();
    }
    ctx.save();
    ctx.beginPath(); ctx.rect(m.l, m.t, W - m.l - m.r, H - m.t - m.b); ctx.clip();
    (o.hlines || []).forEach(function (h) { line(ctx, [[m.l, Y(h.y)], [W - m.r, Y(h.y)]], h.color || "#888", h.dash || [3, 3], 1); });
    (o.vlines || []).forEach(function (v) { line(ctx, [[X(v.x), m.t], [X(v.x), H - m.b]], v.color || "#888", v.dash || [5, 3], 1); });
    (o.series || []).forEach(function (sr) {
      var pts = [];
      for (var i = 0; i < sr.y.length; i++) {
        var yv = sr.y[i], xv = sr.x ? sr.x[i] : i;
        if (yv === null || !isFinite(yv) || (o.logy && yv <= 0)) { if (pts.length) line(ctx, pts, sr.color, sr.dash, sr.width, sr.alpha); pts = []; continue; }
        pts.push([X(xv), Y(yv)]);
      }
      line(ctx, pts, sr.color, sr.dash, sr.width, sr.alpha);
      if (sr.dots) pts.forEach(function (p) { ctx.globalAlpha = sr.alpha || 1; ctx.fillStyle = sr.color; ctx.beginPath(); ctx.arc(p[0], p[1], 2.2, 0, 7); ctx.fill(); });
      ctx.globalAlpha = 1;
    });
    ctx.restore();
    drawLegend(ctx, o.legend || [], o.legendAt === "right" ? W - m.r - 6 : m.l + 6, m.t + 6, o.legendAt === "right");
    return { X: X, Y: Y };
  }

  /* legend: [[label, colour, dash], ...] in a pale box whose top corner is (x, y); right: x is
     the box's right edge. */
  function drawLegend(ctx, items, x, y, right) {
    if (!items.length) return;
    ctx.font = "11px sans-serif";
    var w = 30 + Math.max.apply(null, items.map(function (it) { return ctx.measureText(it[0]).width; }));
    if (right) x -= w;
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(x, y, w, 14 * items.length + 6);
    items.forEach(function (item, i) {
      var yy = y + 10 + 14 * i;
      line(ctx, [[x + 4, yy], [x + 22, yy]], item[1], item[2], 2, item[3]);
      ctx.fillStyle = "#333"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
      ctx.fillText(item[0], x + 26, yy);
    });
  }

  function line(ctx, pts, color, dash, width, alpha) {
    if (pts.length < 1) return;
    ctx.save();
    ctx.strokeStyle = color || "#000"; ctx.lineWidth = width || 1.5; ctx.globalAlpha = alpha === undefined ? 1 : alpha;
    ctx.setLineDash(dash || []);
    ctx.beginPath(); ctx.moveTo(pts[0][0], pts[0][1]);
    for (var i = 1; i < pts.length; i++) ctx.lineTo(pts[i][0], pts[i][1]);
    ctx.stroke(); ctx.restore();
  }

  // ---- colours ----------------------------------------------------------------------------------
  function rgb(hex) { return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)]; }
  var BLUE = rgb(PALETTE[0]), ORANGE = rgb(PALETTE[1]), PALE = [247, 247, 247];

  function mix(a, b, t) { return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]; }

  /* A colour map as a table of LEVELS colours for t in [0, 1]: the playground asks for thousands
     of colours per frame, and a look-up costs nothing where mixing would build a new array each
     time. 1,024 levels are finer than the 256 steps of a colour channel. The entries are shared:
     read them, never change them. */
  var LEVELS = 1024;
  function table(f) {
    var t = [];
    for (var i = 0; i < LEVELS; i++) t.push(f(i / (LEVELS - 1)));
    return function (x) { return t[Math.round(Math.min(Math.max(x, 0), 1) * (LEVELS - 1))] || t[0]; };
  }

  /* mlp.book.plots' two-colour map: class 0 blue at p = 0, pale grey at 0.5, class 1 orange at 1. */
  var twoColour = table(function (p) {
    return p < 0.5 ? mix(BLUE, PALE, p * 2) : mix(PALE, ORANGE, (p - 0.5) * 2);
  });

  /* A diverging colour for a signed value v in [-1, 1]: orange negative, blue positive (as
     TensorFlow Playground colours weights and activations). */
  var signedTable = table(function (t) {
    var v = 2 * t - 1;
    return v < 0 ? mix(PALE, ORANGE, -v) : mix(PALE, BLUE, v);
  });
  function signed(v) { return signedTable((v + 1) / 2); }

  function css(c, alpha) { return "rgba(" + Math.round(c[0]) + "," + Math.round(c[1]) + "," + Math.round(c[2]) + "," + (alpha === undefined ? 1 : alpha) + ")"; }

  /* Paint a grid of nx x ny colours (row 0 at the top) over `rect` ({x, y, w, h}, default: the
     whole surface) of a canvas surface, scaled smoothly unless smooth is false.
     colour(i) -> [r, g, b] for cell i (row-major). */
  function drawGrid(surface, nx, ny, colour, rect, smooth) {
    var off = surface.offscreen || (surface.offscreen = document.createElement("canvas"));
    if (off.width !== nx || off.height !== ny) { off.width = nx; off.height = ny; surface.image = null; }
    var octx = off.getContext("2d"), img = surface.image || (surface.image = octx.createImageData(nx, ny));
    for (var i = 0; i < nx * ny; i++) {
      var c = colour(i);
      img.data[4 * i] = c[0]; img.data[4 * i + 1] = c[1]; img.data[4 * i + 2] = c[2]; img.data[4 * i + 3] = 255;
    }
    octx.putImageData(img, 0, 0);
    var r = rect || { x: 0, y: 0, w: surface.width, h: surface.height };
    surface.ctx.imageSmoothingEnabled = smooth !== false;
    surface.ctx.drawImage(off, r.x, r.y, r.w, r.h);
  }

  /* Paint several n x n grids at once (items: [{colour, rect}], as drawGrid's): side by side in
     one offscreen image, uploaded once, then each copied to its rect. One upload instead of one
     per grid is what keeps a frame of the playground, with a thumbnail per neuron, short. */
  function drawGrids(surface, n, items, smooth) {
    var off = surface.atlas || (surface.atlas = document.createElement("canvas")), w = n * items.length;
    if (!items.length) return;
    if (off.width !== w || off.height !== n) { off.width = w; off.height = n; surface.atlasImage = null; }
    var octx = off.getContext("2d"), img = surface.atlasImage || (surface.atlasImage = octx.createImageData(w, n));
    items.forEach(function (item, k) {
      for (var i = 0; i < n * n; i++) {
        var c = item.colour(i), o = 4 * (Math.floor(i / n) * w + k * n + i % n);
        img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
      }
    });
    octx.putImageData(img, 0, 0);
    surface.ctx.imageSmoothingEnabled = smooth !== false;
    items.forEach(function (item, k) {
      var r = item.rect;
      surface.ctx.drawImage(off, k * n, 0, n, n, r.x, r.y, r.w, r.h);
    });
  }

  // ---- mounting ---------------------------------------------------------------------------------
  var registry = {}, widgets = [];

  function register(name, mount) { registry[name] = mount; }

  /* Mount every .mlp-live element of the page; resolves with the widgets' APIs. */
  function mountAll() {
    var roots = document.querySelectorAll(".mlp-live[data-live]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.mlpLive) return;
      var name = root.getAttribute("data-live"), options = {};
      try { options = JSON.parse(root.getAttribute("data-options") || "{}"); } catch (err) { options = {}; }
      root.textContent = "";
      root.classList.add("ml-root");
      if (!registry[name]) { el("p", "ml-message ml-error", root, "Unknown live widget \u201c" + name + "\u201d."); return; }
      try {
        root.mlpLive = registry[name](root, options);
        widgets.push(root.mlpLive);
      } catch (err) {
        el("p", "ml-message ml-error", root, "This live widget could not start: " + err.message);
        if (window.console) console.error(err);
      }
    });
    return widgets;
  }

  var ready = new Promise(function (resolve) {
    function go() { resolve(mountAll()); }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else setTimeout(go, 0);
  });

  window.mlpLive = {
    PALETTE: PALETTE, el: el, fmt: fmt, slider: slider, select: select, button: button,
    messageBox: messageBox, parseHash: parseHash, readHash: readHash, hashFor: hashFor,
    setupLink: setupLink, defaults: defaults, canvas: canvas, linePlot: linePlot, line: line,
    drawLegend: drawLegend,
    twoColour: twoColour, signed: signed, css: css, rgb: rgb, drawGrid: drawGrid, drawGrids: drawGrids,
    register: register, mountAll: mountAll, widgets: widgets, ready: ready
  };
})();
