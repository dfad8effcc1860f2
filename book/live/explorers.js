/* explorers.js: the small live widgets of Part I, each a port of a notebook's ipywidgets cell.

   perceptron  chapter 1, the `explore` cell: a neuron with a step activation on a truth table
   neuron      chapter 2, mlp.book.widgets.neuron_explorer: a = f(w x + b) and f'(w x + b)
   slowdown    chapter 4, the `slowdown_explorer` cell: one sigmoid neuron trained with squared
               error and with cross-entropy from the same start
   bowl        chapter 5, the `explore_descent` cell: gradient descent with momentum on the bowl
               f(w) = 1/2 (w1^2 + 20 w2^2)

   The arithmetic is mlp.js's (activations, losses, optimizers), the same code the parity tests
   compare with mlp. Every widget keeps its settings in a "link to this setup" (ui.js). */
(function () {
  "use strict";

  var L = window.mlpLive, mlpjs = window.mlpjs;

  /* The parts every explorer has: a row of controls, a message box, the figure, a link.
     schema: the settings (ui.js readHash); build(parts, state) -> draw function. */
  function explorer(name, schema, root, build) {
    var read = L.readHash(name, schema), state = read.state;
    var controls = L.el("div", "ml-controls", root), messages = L.messageBox(root);
    var figure = L.el("div", "ml-figure", root), foot = L.el("div", "ml-foot", root);
    var link = L.setupLink(foot, name, schema);
    L.el("span", "ml-note", foot, "Live: computed in your browser by mlp.js.");
    if (read.messages.length) messages.show(read.messages, "warning");
    var api = { name: name, state: function () { return Object.assign({}, state); }, messages: messages };
    var draw = build({ controls: controls, figure: figure, state: state, api: api });
    api.update = function () { link.update(state); return draw(); };
    api.set = function (key, value) { state[key] = value; return api.update(); };
    api.update();
    window.addEventListener("hashchange", function () {
      var again = L.readHash(name, schema);
      if (!again.fromLink) return;
      Object.assign(state, again.state);
      messages.show(again.messages, "warning");
      if (api.sync) api.sync();
      api.update();
    });
    return api;
  }

  function bind(control, state, key, api) {
    control.onChange = function (v) { state[key] = v; api.update(); };
    return control;
  }

  // ---- chapter 1: the perceptron's line -------------------------------------------------------
  var TABLES = { and: [0, 0, 0, 1], or: [0, 1, 1, 1], nand: [1, 1, 1, 0], xor: [0, 1, 1, 0], must: [0, 0, 1, 1] };
  var INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]];

  function perceptron(root) {
    var schema = {
      table: { type: "choice", options: ["and", "or", "nand", "xor", "must"], default: "and" },
      w1: { type: "number", min: -3, max: 3, default: 1 },
      w2: { type: "number", min: -3, max: 3, default: 1 },
      b: { type: "number", min: -3, max: 3, default: -0.5 }
    };
    return explorer("perceptron", schema, root, function (p) {
      var s = p.state, api = p.api;
      var table = bind(L.select(p.controls, { label: "table", value: s.table,
        options: [["and", "AND"], ["or", "OR"], ["nand", "NAND"], ["xor", "XOR"], ["must", "MUST"]] }), s, "table", api);
      var sliders = ["w1", "w2", "b"].map(function (k) {
        return bind(L.slider(p.controls, { label: k, min: -3, max: 3, step: 0.1, value: s[k], format: function (v) { return v.toFixed(1); } }), s, k, api);
      });
      api.sync = function () { table.set(s.table); sliders.forEach(function (c, i) { c.set(s[["w1", "w2", "b"][i]]); }); };
      var plot = L.canvas(p.figure, 360, 380, "ml-canvas", "The unit square with the four inputs of the truth table, the region where the neuron outputs 1 shaded orange, the line z = 0 and the misclassified points ringed in red");
      return function () { return drawPerceptron(plot, s); };
    });
  }

  /* The explore cell's draw_neuron: shade the plane by step(w x + b), draw the line z = 0 and
     w as an arrow, the four points, and a red ring on each one the neuron gets wrong. */
  function drawPerceptron(plot, s) {
    var ctx = plot.ctx, m = 30, size = 320, w = [s.w1, s.w2], b = s.b, step = mlpjs.getActivation("step");
    function X(v) { return m + (v + 0.5) / 2 * size; }
    function Y(v) { return 40 + (1.5 - v) / 2 * size; }
    ctx.clearRect(0, 0, plot.width, plot.height);
    var n = 160, zs = new mlpjs.Matrix(n * n, 1);
    for (var r = 0; r < n; r++) for (var c = 0; c < n; c++) {
      zs.data[r * n + c] = w[0] * (-0.5 + 2 * (c + 0.5) / n) + w[1] * (1.5 - 2 * (r + 0.5) / n) + b;
    }
    var out = step.forward(zs), colours = [[214, 228, 242], [251, 220, 196]];
    L.drawGrid(plot, n, n, function (i) { return colours[out.data[i]]; }, { x: m, y: 40, w: size, h: size });
    ctx.strokeStyle = "#999"; ctx.strokeRect(m, 40, size, size);
    var norm = Math.hypot(w[0], w[1]);
    if (norm > 0) {
      var dotc = 0.5 * w[0] + 0.5 * w[1] + b, cx = 0.5 - dotc * w[0] / (norm * norm), cy = 0.5 - dotc * w[1] / (norm * norm);
      var dx = -w[1] / norm, dy = w[0] / norm;
      ctx.save(); ctx.beginPath(); ctx.rect(m, 40, size, size); ctx.clip();
      L.line(ctx, [[X(cx - 3 * dx), Y(cy - 3 * dy)], [X(cx + 3 * dx), Y(cy + 3 * dy)]], "#000", [], 1.5);
      arrow(ctx, X(cx), Y(cy), X(cx + 0.35 * w[0] / norm), Y(cy + 0.35 * w[1] / norm));
      ctx.restore();
    }
    var targets = TABLES[s.table], right = 0;
    INPUTS.forEach(function (x, i) {
      var predicted = w[0] * x[0] + w[1] * x[1] + b > 0 ? 1 : 0, px = X(x[0]), py = Y(x[1]);
      ctx.fillStyle = targets[i] ? "#e8853a" : "#3b75af"; ctx.strokeStyle = "#000"; ctx.lineWidth = 1;
      ctx.beginPath();
      if (targets[i]) ctx.arc(px, py, 9, 0, 2 * Math.PI); else ctx.rect(px - 8, py - 8, 16, 16);
      ctx.fill(); ctx.stroke();
      if (predicted !== targets[i]) { ctx.strokeStyle = "#c0392b"; ctx.lineWidth = 2.5; ctx.beginPath(); ctx.arc(px, py, 17, 0, 2 * Math.PI); ctx.stroke(); }
      else right++;
    });
    ctx.fillStyle = "#000"; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText(s.table.toUpperCase() + ": " + right + " of 4 correct    z = " + s.w1.toFixed(1) + " x1 " +
                 sign(s.w2) + " x2 " + sign(s.b), plot.width / 2, 8);
    ctx.textBaseline = "top";
    [0, 1].forEach(function (v) { ctx.fillText(String(v), X(v), 40 + size + 4); ctx.fillText(String(v), m - 10, Y(v) - 6); });
    return { correct: right };
  }

  function sign(v) { return (v < 0 ? "- " : "+ ") + Math.abs(v).toFixed(1); }

  function arrow(ctx, x0, y0, x1, y1) {
    L.line(ctx, [[x0, y0], [x1, y1]], "#000", [], 1.5);
    var a = Math.atan2(y1 - y0, x1 - x0);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 1.5; ctx.setLineDash([]);
    ctx.beginPath(); ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - 9 * Math.cos(a - 0.4), y1 - 9 * Math.sin(a - 0.4));
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - 9 * Math.cos(a + 0.4), y1 - 9 * Math.sin(a + 0.4));
    ctx.stroke();
  }

  // ---- chapter 2: one neuron, any activation ----------------------------------------------------
  function neuron(root, options) {
    var schema = {
      activation: { type: "choice", options: ["step", "sigmoid", "tanh", "relu", "leaky_relu"], default: options.activation || "sigmoid" },
      w: { type: "number", min: -5, max: 5, default: 1 },
      b: { type: "number", min: -5, max: 5, default: 0 }
    };
    return explorer("neuron", schema, root, function (p) {
      var s = p.state, api = p.api, one = function (v) { return v.toFixed(1); };
      var act = bind(L.select(p.controls, { label: "f", options: schema.activation.options, value: s.activation }), s, "activation", api);
      var w = bind(L.slider(p.controls, { label: "w", min: -5, max: 5, step: 0.1, value: s.w, format: one }), s, "w", api);
      var b = bind(L.slider(p.controls, { label: "b", min: -5, max: 5, step: 0.1, value: s.b, format: one }), s, "b", api);
      api.sync = function () { act.set(s.activation); w.set(s.w); b.set(s.b); };
      var plot = L.canvas(p.figure, 560, 330, "ml-canvas", "The neuron's output a = f(w x + b) for x from -5 to 5, solid, and the derivative f'(w x + b), dashed");
      return function () { return drawNeuron(plot, s); };
    });
  }

  /* mlp.book.widgets._draw_neuron: a = f(w x + b) solid, f'(w x + b) dashed, the line w x + b = 0. */
  function drawNeuron(plot, s) {
    var f = mlpjs.getActivation(s.activation), n = 401, x = [], z = new mlpjs.Matrix(n, 1);
    for (var i = 0; i < n; i++) { x.push(-5 + 10 * i / (n - 1)); z.data[i] = s.w * x[i] + s.b; }
    var a = f.forward(z), d = f.derivative(z, a), bounded = ["step", "sigmoid", "tanh"].indexOf(s.activation) >= 0;
    var vlines = s.w !== 0 && Math.abs(-s.b / s.w) <= 5 ? [{ x: -s.b / s.w, color: "#666", dash: [2, 3] }] : [];
    L.linePlot(plot, {
      xlim: [-5, 5], ylim: bounded ? [-1.15, 1.15] : [-1.5, 6], xlabel: "x", ylabel: "a",
      title: "w = " + s.w.toFixed(1) + ", b = " + s.b.toFixed(1),
      hlines: [{ y: 0, color: "#999", dash: [] }], vlines: vlines,
      series: [{ x: x, y: Array.from(a.data), color: L.PALETTE[0], width: 2.2 },
               { x: x, y: Array.from(d.data), color: L.PALETTE[1], width: 1.6, dash: [6, 4] }],
      legend: [["a = " + s.activation + "(w x + b)", L.PALETTE[0]], [s.activation + "\u2032(w x + b)", L.PALETTE[1], [6, 4]]]
    });
    return { a: Array.from(a.data), derivative: Array.from(d.data) };
  }

  // ---- chapter 4: the learning slowdown -------------------------------------------------------
  function slowdown(root) {
    var schema = {
      w: { type: "number", min: -4, max: 4, default: 2 },
      b: { type: "number", min: -4, max: 4, default: 2 },
      eta: { type: "number", min: 0.01, max: 10, default: 0.15 }
    };
    return explorer("slowdown", schema, root, function (p) {
      var s = p.state, api = p.api, q = function (v) { return v.toFixed(2); };
      var w = bind(L.slider(p.controls, { label: "start w", min: -4, max: 4, step: 0.25, value: s.w, format: q }), s, "w", api);
      var b = bind(L.slider(p.controls, { label: "start b", min: -4, max: 4, step: 0.25, value: s.b, format: q }), s, "b", api);
      var eta = bind(L.slider(p.controls, { label: "\u03b7", min: -2, max: 1, step: 0.1, log: true, value: s.eta }), s, "eta", api);
      api.sync = function () { w.set(s.w); b.set(s.b); eta.set(s.eta); };
      var row = L.el("div", "ml-row", p.figure);
      var left = L.canvas(row, 318, 270, "ml-canvas", "The neuron's output against the gradient-descent step, for squared error (red) and cross-entropy (blue); the target is 0");
      var right = L.canvas(row, 318, 270, "ml-canvas", "The cost against the step on a log scale, for both losses");
      return function () { return drawSlowdown(left, right, s); };
    });
  }

  /* The chapter's train_neuron, run by mlp.js: a 1-1 network (one sigmoid neuron) trained
     by plain gradient descent on the single example x = 1, y = 0, for each loss. */
  function trainNeuron(w, b, loss, eta, steps) {
    var layers = [{ W: new mlpjs.Matrix(1, 1, Float64Array.of(w)), b: Float64Array.of(b) }];
    var net = new mlpjs.Network([1, 1], ["sigmoid"], loss, { layers: layers }), outputs = [], costs = [];
    var X = new mlpjs.Matrix(1, 1, Float64Array.of(1)), Y = new mlpjs.Matrix(1, 1, Float64Array.of(0));
    for (var t = 0; t <= steps; t++) {
      outputs.push(net.forward(X).data[0]);
      costs.push(t < steps ? net.step(X, Y, { optimizer: "sgd", lr: eta }) : net.loss(X, Y));
    }
    return { outputs: outputs, costs: costs };
  }

  function drawSlowdown(left, right, s) {
    var runs = { mse: trainNeuron(s.w, s.b, "mse", s.eta, 300), bce: trainNeuron(s.w, s.b, "binary_cross_entropy", s.eta, 300) };
    var colours = { mse: "#d62728", bce: "#1f77b4" }, names = { mse: "squared error", bce: "cross-entropy" };
    var start = 1 / (1 + Math.exp(-(s.w + s.b))), allCosts = runs.mse.costs.concat(runs.bce.costs).filter(function (c) { return c > 0; });
    var lo = Math.pow(10, Math.floor(Math.log10(Math.max(Math.min.apply(null, allCosts), 1e-12))));
    var hi = Math.pow(10, Math.ceil(Math.log10(Math.max.apply(null, allCosts))));
    var series = function (key) { return ["mse", "bce"].map(function (l) { return { y: runs[l][key], color: colours[l], width: 1.8 }; }); };
    L.linePlot(left, { xlim: [0, 300], ylim: [0, 1.02], xlabel: "step", ylabel: "output a (target 0)", legendAt: "right",
                       title: "start: a = " + start.toFixed(4), series: series("outputs"),
                       legend: [[names.mse, colours.mse], [names.bce, colours.bce]] });
    L.linePlot(right, { xlim: [0, 300], ylim: [lo, hi], logy: true, xlabel: "step", ylabel: "cost (log scale)", title: "cost", series: series("costs") });
    return { mse: runs.mse.costs[300], bce: runs.bce.costs[300] };
  }

  // ---- chapter 5: descent on a bowl -------------------------------------------------------------
  var CURVATURE = [1, 20];
  function bowl(w) { return 0.5 * (CURVATURE[0] * w[0] * w[0] + CURVATURE[1] * w[1] * w[1]); }
  function bowlGrad(w) { return Float64Array.of(CURVATURE[0] * w[0], CURVATURE[1] * w[1]); }

  /* The chapter's momentum_descent, by mlp.js's SGD with momentum (chapter 5 shows the two
     agree): v <- beta v - eta grad(w); w <- w + v, for `steps` steps from w0. */
  function momentumDescent(w0, eta, beta, steps) {
    var w = Float64Array.from(w0), opt = new mlpjs.SGD(eta, beta), path = [Array.from(w)];
    for (var t = 0; t < steps; t++) {
      opt.step([w], [bowlGrad(w)]);
      path.push(Array.from(w));
    }
    return path;
  }

  function descent(root) {
    var schema = {
      eta: { type: "number", min: 0.001, max: 0.316, default: 0.06 },
      beta: { type: "number", min: 0, max: 0.95, default: 0 },
      w1: { type: "number", min: -4.5, max: 4.5, default: -4 },
      w2: { type: "number", min: -2, max: 2, default: 1 }
    };
    return explorer("bowl", schema, root, function (p) {
      var s = p.state, api = p.api;
      var eta = bind(L.slider(p.controls, { label: "\u03b7", min: -3, max: -0.5, step: 0.01, log: true, value: s.eta }), s, "eta", api);
      var beta = bind(L.slider(p.controls, { label: "\u03b2", min: 0, max: 0.95, step: 0.05, value: s.beta, format: function (v) { return v.toFixed(2); } }), s, "beta", api);
      api.sync = function () { eta.set(s.eta); beta.set(s.beta); };
      var row = L.el("div", "ml-row", p.figure);
      var left = L.canvas(row, 400, 220, "ml-canvas ml-clickable", "Contours of the bowl f(w) = 1/2 (w1^2 + 20 w2^2) with the path of gradient descent from the start point; click to move the start");
      var right = L.canvas(row, 250, 220, "ml-canvas", "f(w) along the path, on a log scale, with the level 1e-4 dotted");
      var limit = L.el("div", "ml-note", p.figure);
      left.canvas.addEventListener("click", function (e) {
        var r = left.canvas.getBoundingClientRect(), v = left.view;
        if (!v) return;
        s.w1 = Number(Math.min(Math.max(v.invX(e.clientX - r.left), -4.5), 4.5).toFixed(2));
        s.w2 = Number(Math.min(Math.max(v.invY(e.clientY - r.top), -2), 2).toFixed(2));
        api.update();
      });
      return function () { return drawDescent(left, right, limit, s); };
    });
  }

  var VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"];

  function drawDescent(left, right, limit, s) {
    var path = momentumDescent([s.w1, s.w2], s.eta, s.beta, 150), loss = path.map(bowl);
    var reached = null;
    for (var t = 0; t < loss.length; t++) if (loss[t] < 1e-4) { reached = t; break; }
    var xlim = [-4.5, 4.5], ylim = [-2, 2], m = { l: 36, r: 8, t: 22, b: 28 };
    var W = left.width - m.l - m.r, H = left.height - m.t - m.b;
    var X = function (v) { return m.l + (v - xlim[0]) / (xlim[1] - xlim[0]) * W; };
    var Y = function (v) { return m.t + (ylim[1] - v) / (ylim[1] - ylim[0]) * H; };
    left.view = { invX: function (px) { return xlim[0] + (px - m.l) / W * (xlim[1] - xlim[0]); },
                  invY: function (py) { return ylim[1] - (py - m.t) / H * (ylim[1] - ylim[0]); } };
    var ctx = left.ctx;
    ctx.clearRect(0, 0, left.width, left.height);
    drawBands(left, { x: m.l, y: m.t, w: W, h: H }, xlim, ylim);
    ctx.save(); ctx.beginPath(); ctx.rect(m.l, m.t, W, H); ctx.clip();
    var pts = path.map(function (w) { return [X(clip(w[0])), Y(clip(w[1]))]; });
    L.line(ctx, pts, "#E69F00", [], 1.4);
    pts.forEach(function (q) { ctx.fillStyle = "#E69F00"; ctx.beginPath(); ctx.arc(q[0], q[1], 2, 0, 7); ctx.fill(); });
    ctx.fillStyle = "#fff"; ctx.strokeStyle = "#000"; ctx.beginPath(); ctx.arc(X(s.w1), Y(s.w2), 4.5, 0, 7); ctx.fill(); ctx.stroke();
    ctx.restore();
    ctx.fillStyle = "#222"; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText("\u03b7 = " + L.fmt(s.eta) + ", \u03b2 = " + s.beta.toFixed(2) + ": " +
                 (reached !== null ? "f < 1e-4 after " + reached + " steps" : "not below 1e-4"), left.width / 2, 4);
    ctx.font = "11px sans-serif"; ctx.fillStyle = "#444";
    [-4, -2, 0, 2, 4].forEach(function (v) { ctx.fillText(String(v), X(v), m.t + H + 4); });
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    [-2, -1, 0, 1, 2].forEach(function (v) { ctx.fillText(String(v), m.l - 4, Y(v)); });
    ctx.textAlign = "center"; ctx.textBaseline = "bottom"; ctx.fillText("w\u2081", m.l + W / 2, left.height);
    L.linePlot(right, { xlim: [0, 150], ylim: [1e-12, 1e12], logy: true, xlabel: "step", ylabel: "f(w) (log scale)",
                        hlines: [{ y: 1e-4, color: "#888", dash: [2, 3] }],
                        series: [{ y: loss.map(function (v) { return isFinite(v) ? Math.min(Math.max(v, 1e-12), 1e12) : 1e12; }), color: L.PALETTE[0], width: 1.6 }] });
    limit.textContent = "Plain descent (\u03b2 = 0) converges for \u03b7 < 2/\u03bb_max = 0.1; with momentum \u03b2 the limit is 2(1 + \u03b2)/\u03bb_max = " +
                        L.fmt(2 * (1 + s.beta) / 20) + ". Click the contour plot to start from another point.";
    return { reached: reached, first: loss[0], last: loss[loss.length - 1] };
  }

  /* mlp.book.plots.loss_surface's filled contours: 12 bands of f whose levels are quantiles of its
     values over the view, so the flat bottom and the steep walls both show. */
  function drawBands(surface, rect, xlim, ylim) {
    var nx = Math.round(rect.w / 2), ny = Math.round(rect.h / 2), f = new Float64Array(nx * ny);
    for (var r = 0; r < ny; r++) for (var c = 0; c < nx; c++) {
      f[r * nx + c] = bowl([xlim[0] + (c + 0.5) / nx * (xlim[1] - xlim[0]), ylim[1] - (r + 0.5) / ny * (ylim[1] - ylim[0])]);
    }
    var sorted = Float64Array.from(f).sort(), levels = [];
    for (var k = 1; k < 12; k++) levels.push(sorted[Math.floor(k / 12 * (sorted.length - 1))]);
    var colours = VIRIDIS.map(L.rgb);
    L.drawGrid(surface, nx, ny, function (i) {
      var band = 0;
      while (band < levels.length && f[i] > levels[band]) band++;
      return colours[Math.round(band * 10 / 11)];
    }, rect, false);
  }

  function clip(v) { return isFinite(v) ? Math.min(Math.max(v, -1e3), 1e3) : 0; }

  L.register("perceptron", perceptron);
  L.register("neuron", neuron);
  L.register("slowdown", slowdown);
  L.register("bowl", descent);
  window.mlpExplorers = { momentumDescent: momentumDescent, trainNeuron: trainNeuron, bowl: bowl };
})();
