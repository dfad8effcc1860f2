/* playground.js: a 2-D playground in the spirit of TensorFlow Playground (Smilkov et al. 2016),
   on the book's own engine (mlp.js) and data sets (toy.js). Chapter 7 and the playground page.

   A network with two inputs (the point's coordinates x1, x2) trains on one of five toy data
   sets while you watch: one epoch per animation frame (mini-batch gradient descent, as
   mlp.training.fit runs it), then the picture is redrawn:
     - the decision boundary: the network's output over the whole plane, as a heat map under
       the training points (and, if shown, the test points);
     - the training and test loss after every epoch;
     - one thumbnail per hidden neuron: what that neuron computes over the same plane
       (blue positive, orange negative, scaled to its own largest value);
     - the weights as the edges between neurons, blue positive, orange negative, thicker when
       larger.
   Every setting lives in the page address (ui.js), so a link reproduces a setup exactly: the
   same data, the same starting weights, the same batches.

   Sizes are bounded (at most 6 hidden layers of 8 neurons, 1000 points), and each frame trains
   for at most one epoch or 12 ms, so no setting can freeze the page. A loss that becomes NaN
   or infinite stops training with mlp's divergence message. */
(function () {
  "use strict";

  var L = window.mlpLive, mlpjs = window.mlpjs, toy = window.mlpToy;
  var GRID = 50, THUMB_STEP = 2, FRAME_BUDGET_MS = 12, MAX_LAYERS = 6, MAX_UNITS = 16;

  var OUTPUTS = {  // the output layer and the loss (chapter 4's pairs)
    bce: { label: "sigmoid + cross-entropy", activation: "sigmoid", loss: "binary_cross_entropy" },
    mse: { label: "sigmoid + squared error", activation: "sigmoid", loss: "mse" },
    softmax: { label: "softmax + log-likelihood", activation: "softmax", loss: "cross_entropy" }
  };

  function schemaFor(o) {
    var d = function (key, value) { return o[key] === undefined ? value : o[key]; };
    return {
      dataset: { type: "choice", options: Object.keys(toy.DATASETS), default: d("dataset", "circles") },
      noise: { type: "number", min: 0, max: 0.5, default: d("noise", 0.1) },
      points: { type: "int", min: 50, max: 1000, default: d("points", 400) },
      train: { type: "int", min: 10, max: 90, default: d("train", 50) },
      seed: { type: "int", min: 0, max: 99999, default: d("seed", 1) },
      hidden: { type: "ints", min: 1, max: MAX_UNITS, minLength: 0, maxLength: MAX_LAYERS, default: d("hidden", [4, 2]) },  // neurons per hidden layer
      activation: { type: "choice", options: ["tanh", "relu", "sigmoid", "leaky_relu", "identity"], default: d("activation", "tanh") },
      output: { type: "choice", options: Object.keys(OUTPUTS), default: d("output", "bce") },
      lr: { type: "number", min: 1e-4, max: 10, default: d("lr", 0.1) },
      batch: { type: "int", min: 1, max: 100, default: d("batch", 10) },
      optimizer: { type: "choice", options: ["sgd", "momentum", "adam"], default: d("optimizer", "sgd") },
      l2: { type: "number", min: 0, max: 0.1, default: d("l2", 0) },
      test: { type: "bool", default: d("test", false) }
    };
  }

  // ---- the model: data, network, trainer --------------------------------------------------------
  /* Targets for the output layer: one sigmoid unit for two classes (label 0/1), else one-hot. */
  function targets(y, nOut) {
    return y.map(function (label) {
      if (nOut === 1) return [label];
      var row = new Array(nOut).fill(0); row[label] = 1; return row;
    });
  }

  function Model(state) {
    this.data = toy.makeDataset(state.dataset, state.points, state.noise, state.train / 100, state.seed);
    var out = OUTPUTS[state.output], classes = this.data.classes;
    this.nOut = classes === 2 && out.activation === "sigmoid" ? 1 : classes;
    var sizes = [2].concat(state.hidden, [this.nOut]);
    var acts = state.hidden.map(function () { return state.activation; }).concat([out.activation]);
    this.net = new mlpjs.Network(sizes, acts, out.loss, { seed: 2 * state.seed + 1 });
    this.train = { X: mlpjs.fromRows(this.data.train.X, 2), Y: null, y: this.data.train.y };
    this.test = { X: mlpjs.fromRows(this.data.test.X, 2), Y: null, y: this.data.test.y };
    this.train.Y = this.net.asTargets(targets(this.data.train.y, this.nOut));
    this.test.Y = this.net.asTargets(targets(this.data.test.y, this.nOut));
    this.trainer = new mlpjs.Trainer(this.net, this.train.X, this.train.Y, trainerOptions(state));
    this.history = { epoch: [], train: [], test: [], trainAccuracy: [], testAccuracy: [] };
    this.record(0);
    this.grid = gridPoints(this.data.view);
  }

  function trainerOptions(state) {
    return { optimizer: state.optimizer, lr: state.lr, l2: state.l2, batch_size: state.batch, seed: state.seed };
  }

  /* Loss (without the L2 term, so the curves compare across L2 settings) and accuracy on a
     whole set, from one forward pass. */
  Model.prototype.evaluate = function (set) {
    var a = this.net.forwardMatrix(set.X), right = 0;
    for (var r = 0; r < a.rows; r++) right += mlpjs.argmaxRow(a, r) === set.y[r] ? 1 : 0;
    return { loss: this.net.lossValue(set.Y, 0), accuracy: right / a.rows };
  };

  Model.prototype.accuracy = function (set) { return this.evaluate(set).accuracy; };

  /* Append the losses and accuracies after `epoch`; a non-finite loss is a divergence. */
  Model.prototype.record = function (epoch) {
    var train = this.evaluate(this.train), test = this.evaluate(this.test), h = this.history;
    if (!isFinite(train.loss) || !isFinite(test.loss)) {
      var eta = this.trainer.opt.learningRate;
      throw new mlpjs.DivergenceError("training diverged: the loss became " + (isFinite(train.loss) ? test.loss : train.loss) +
        " after epoch " + epoch + ". The learning rate (" + L.fmt(eta) + ") is probably too large for this network and loss; try " +
        L.fmt(eta / 10) + ".");
    }
    h.epoch.push(epoch); h.train.push(train.loss); h.test.push(test.loss);
    h.trainAccuracy.push(train.accuracy); h.testAccuracy.push(test.accuracy);
  };

  /* Settings that change the trainer, not the network: applied from the next batch on. */
  Model.prototype.retune = function (state) {
    var t = this.trainer;
    if (t.opt.kind !== state.optimizer) t.opt = mlpjs.makeOptimizer(state.optimizer, state.lr);
    t.opt.learningRate = state.lr;
    t.l2 = state.l2;
    t.batchSize = state.batch;
  };

  /* Train for one epoch at most (or FRAME_BUDGET_MS); after a finished epoch, record the
     losses on all training and test points. Returns true when an epoch ended. */
  Model.prototype.advance = function (wholeEpoch) {
    var t = this.trainer, start = performance.now(), done = null;
    while (!done && (wholeEpoch || performance.now() - start < FRAME_BUDGET_MS)) done = t.step();
    if (!done) return false;
    this.record(done.epoch);
    return true;
  };

  function gridPoints(view) {  // GRID x GRID points over the view, row 0 at the top
    var G = new mlpjs.Matrix(GRID * GRID, 2);
    for (var r = 0; r < GRID; r++) for (var c = 0; c < GRID; c++) {
      G.data[2 * (r * GRID + c)] = view[0] + (c + 0.5) / GRID * (view[1] - view[0]);
      G.data[2 * (r * GRID + c) + 1] = view[3] - (r + 0.5) / GRID * (view[3] - view[2]);
    }
    return G;
  }

  // ---- drawing ------------------------------------------------------------------------------------
  var CLASS = L.PALETTE.map(L.rgb), PALE = [247, 247, 247], GREY = [200, 200, 200];

  /* The colour of one output row: P(class 1) on the two-colour map for two classes; for more,
     the likeliest class's colour, paler when the network is less sure. */
  function outputColour(a, r, k) {
    if (k === 1) return isFinite(a[r]) ? L.twoColour(a[r]) : GREY;
    if (k === 2) return isFinite(a[2 * r + 1]) ? L.twoColour(a[2 * r + 1] / (a[2 * r] + a[2 * r + 1])) : GREY;
    var best = 0, sum = 0;
    for (var j = 0; j < k; j++) { sum += a[r * k + j]; if (a[r * k + j] > a[r * k + best]) best = j; }
    if (!isFinite(sum) || sum <= 0) return GREY;
    var sure = (a[r * k + best] / sum - 1 / k) / (1 - 1 / k);
    return mixColour(PALE, CLASS[best], 0.85 * sure);
  }

  function mixColour(a, b, t) { return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]; }

  /* The points of a set, one path per class: a fill and a stroke per class, not per point. */
  function drawPoints(ctx, set, view, size, edge) {
    var classes = [];
    set.y.forEach(function (label) { if (classes.indexOf(label) < 0) classes.push(label); });
    ctx.strokeStyle = edge;
    ctx.lineWidth = 1;
    classes.forEach(function (label) {
      ctx.beginPath();
      for (var i = 0; i < set.y.length; i++) {
        if (set.y[i] !== label) continue;
        var x = (set.X.data[2 * i] - view[0]) / (view[1] - view[0]) * size;
        var y = (view[3] - set.X.data[2 * i + 1]) / (view[3] - view[2]) * size;
        ctx.moveTo(x + 3.4, y); ctx.arc(x, y, 3.4, 0, 2 * Math.PI);
      }
      ctx.fillStyle = L.PALETTE[label];
      ctx.fill(); ctx.stroke();
    });
  }

  /* The points do not move while the network trains: they are drawn once into a layer of their
     own, which every frame copies over the new decision boundary. */
  function pointsLayer(model, surface, withTest) {
    var cache = model.points;
    if (cache && cache.withTest === withTest) return cache.canvas;
    var c = document.createElement("canvas"), ratio = surface.canvas.width / surface.width;
    c.width = surface.canvas.width; c.height = surface.canvas.height;
    var ctx = c.getContext("2d");
    ctx.scale(ratio, ratio);
    drawPoints(ctx, model.train, model.data.view, surface.width, "#fff");
    if (withTest) drawPoints(ctx, model.test, model.data.view, surface.width, "#000");
    model.points = { withTest: withTest, canvas: c };
    return c;
  }

  /* Node positions of the network diagram: columns input, hidden..., output. */
  function layout(sizes, width, height) {
    var cols = sizes.length, widest = Math.max(8, Math.max.apply(null, sizes));
    var pitch = Math.min(40, (height - 20) / widest), box = Math.min(32, pitch - 4);
    return sizes.map(function (n, l) {
      var x = 40 + l * (width - 62) / (cols - 1), top = (height - n * pitch) / 2 + pitch / 2, nodes = [];
      for (var i = 0; i < n; i++) nodes.push({ x: x, y: top + i * pitch });
      return { x: x, nodes: nodes, box: box };
    });
  }

  /* The diagram: edges coloured by their weight, then a thumbnail per node. */
  function drawNetwork(surface, model, thumbs) {
    var ctx = surface.ctx, net = model.net, cols = layout(net.sizes, surface.width, surface.height);
    ctx.clearRect(0, 0, surface.width, surface.height);
    net.layers.forEach(function (layer, l) {
      var W = layer.W, max = 1e-12;
      for (var i = 0; i < W.data.length; i++) max = Math.max(max, Math.abs(W.data[i]));
      for (i = 0; i < W.rows; i++) for (var j = 0; j < W.cols; j++) {
        var w = W.data[i * W.cols + j], a = cols[l].nodes[i], b = cols[l + 1].nodes[j];
        ctx.strokeStyle = L.css(L.signed(w / max), 0.25 + 0.75 * Math.abs(w) / max);
        ctx.lineWidth = Math.min(4, 0.4 + 2.2 * Math.abs(w));
        ctx.beginPath(); ctx.moveTo(a.x, a.y);
        ctx.bezierCurveTo((a.x + b.x) / 2, a.y, (a.x + b.x) / 2, b.y, b.x, b.y); ctx.stroke();
      }
    });
    var grids = [], boxes = [];
    cols.forEach(function (col, l) {
      col.nodes.forEach(function (node, i) {
        var h = col.box / 2, rect = { x: node.x - h, y: node.y - h, w: col.box, h: col.box };
        var t = thumbs[l] && thumbs[l][i];
        if (t) grids.push({ colour: t.colour, rect: rect });
        boxes.push(rect);
      });
    });
    L.drawGrids(surface, GRID / THUMB_STEP, grids);
    ctx.strokeStyle = "#777"; ctx.lineWidth = 1;
    boxes.forEach(function (r) { ctx.strokeRect(r.x, r.y, r.w, r.h); });
    ctx.fillStyle = "#333"; ctx.font = "11px sans-serif"; ctx.textAlign = "right"; ctx.textBaseline = "middle";
    cols[0].nodes.forEach(function (node, i) { ctx.fillText(i ? "x\u2082" : "x\u2081", node.x - cols[0].box / 2 - 3, node.y); });
    return cols;
  }

  /* Thumbnails: for each layer, for each unit, an n x n colour function over the plane.
     Inputs show x1 and x2 themselves; hidden units their activation a (diverging colours,
     scaled to the unit's largest |a| over the plane); the output the decision boundary. */
  function thumbnails(model, values) {
    var n = GRID / THUMB_STEP, view = model.data.view, out = [];
    function sample(i) { var r = Math.floor(i / n) * THUMB_STEP, c = (i % n) * THUMB_STEP; return r * GRID + c; }
    out.push([0, 1].map(function (k) {
      var span = Math.max(Math.abs(view[2 * k]), Math.abs(view[2 * k + 1]));
      return { n: n, colour: function (i) { return L.signed(model.grid.data[2 * sample(i) + k] / span); } };
    }));
    values.slice(0, -1).forEach(function (a) {
      var units = [];
      for (var j = 0; j < a.cols; j++) units.push(unitThumb(a, j, n, sample));
      out.push(units);
    });
    var last = values[values.length - 1];
    out.push([{ n: n, colour: function (i) { return outputColour(last.data, sample(i), last.cols); } }]);
    return out;
  }

  function unitThumb(a, j, n, sample) {
    var max = 1e-12, k = a.cols;
    for (var r = 0; r < a.rows; r++) max = Math.max(max, Math.abs(a.data[r * k + j]));
    return { n: n, colour: function (i) { var v = a.data[sample(i) * k + j]; return isFinite(v) ? L.signed(v / max) : GREY; } };
  }

  // ---- the widget ---------------------------------------------------------------------------------
  function playground(root, options) {
    var schema = schemaFor(options || {}), read = L.readHash("playground", schema), state = read.state;
    var ui = buildUI(root, state), model = null, playing = false, raf = null, frames = [];
    var api = { name: "playground", messages: ui.messages, frames: frames };
    if (read.messages.length) ui.messages.show(read.messages, "warning");

    function rebuild() {
      stop();
      model = new Model(state);
      api.model = model;
      ui.messages.clear();
      if (read.messages.length) { ui.messages.show(read.messages, "warning"); read.messages = []; }
      ui.syncLayers(state, onLayers);
      render();
    }

    function changed(kind) {
      ui.link.update(state);
      if (options && options.syncHash) history.replaceState(null, "", L.hashFor("playground", schema, state));
      if (kind === "network") rebuild();
      else if (model) { model.retune(state); render(); }
    }

    function onLayers(hidden) { state.hidden = hidden; changed("network"); }

    function render() {
      var values = [], a = model.grid;
      model.net.layers.forEach(function (layer) { a = layer.forward(a); values.push(a); });
      var last = values[values.length - 1];
      L.drawGrid(ui.boundary, GRID, GRID, function (i) { return outputColour(last.data, i, last.cols); });
      ui.boundary.ctx.drawImage(pointsLayer(model, ui.boundary, !!state.test), 0, 0, ui.boundary.width, ui.boundary.height);
      drawNetwork(ui.net, model, thumbnails(model, values));
      drawLosses(ui.curve, model.history);
      var h = model.history, e = h.epoch.length - 1;
      ui.epoch.textContent = String(h.epoch[e]);
      ui.readout.train.textContent = "training loss " + h.train[e].toFixed(3) + ", accuracy " + pct(h.trainAccuracy[e]);
      ui.readout.test.textContent = "test loss " + h.test[e].toFixed(3) + ", accuracy " + pct(h.testAccuracy[e]);
    }

    function frame(t) {
      raf = null;
      if (!playing) return;
      var start = performance.now(), trained;
      try {
        model.advance(false);
        trained = performance.now();
        render();
      } catch (err) {
        diverged(err);
        return;
      }
      var end = performance.now();
      frames.push({ t: t, work: end - start, train: trained - start, draw: end - trained });
      if (frames.length > 600) frames.shift();
      raf = requestAnimationFrame(frame);
    }

    function diverged(err) {
      stop();
      if (!(err instanceof mlpjs.DivergenceError)) throw err;
      ui.messages.show(["Training stopped: " + err.message, "Press reset (\u27f2) to start again, with a smaller learning rate."], "error");
    }

    function play() { if (playing) return; playing = true; ui.setPlaying(true); raf = requestAnimationFrame(frame); }
    function stop() { playing = false; ui.setPlaying(false); if (raf) cancelAnimationFrame(raf); raf = null; }

    api.play = play;
    api.pause = stop;
    api.playing = function () { return playing; };
    api.reset = rebuild;
    api.step = function (n) {  // whole epochs, drawn once (the step button: n = 1)
      stop();
      try { for (var i = 0; i < (n || 1); i++) model.advance(true); render(); } catch (err) { diverged(err); }
      return model.history;
    };
    api.state = function () { return JSON.parse(JSON.stringify(state)); };
    api.history = function () { return model.history; };
    api.set = function (key, value) { state[key] = value; ui.sync(state); changed(NETWORK_KEYS.indexOf(key) >= 0 ? "network" : "training"); };

    ui.bind(state, changed, { play: function () { if (playing) stop(); else play(); }, step: function () { api.step(1); }, reset: rebuild });
    ui.link.update(state);
    window.addEventListener("hashchange", function () {
      var again = L.readHash("playground", schema);
      if (!again.fromLink) return;
      Object.assign(state, again.state);
      ui.sync(state);
      read = again;
      changed("network");
    });
    rebuild();
    return api;
  }

  var NETWORK_KEYS = ["dataset", "noise", "points", "train", "seed", "hidden", "activation", "output"];

  function pct(x) { return (100 * x).toFixed(1) + "%"; }

  function drawLosses(surface, h) {
    var n = h.epoch.length, stride = Math.max(1, Math.ceil(n / 600)), x = [], tr = [], te = [];
    for (var i = 0; i < n; i += stride) { x.push(h.epoch[i]); tr.push(h.train[i]); te.push(h.test[i]); }
    x.push(h.epoch[n - 1]); tr.push(h.train[n - 1]); te.push(h.test[n - 1]);
    var top = Math.max.apply(null, tr.concat(te).filter(isFinite));
    L.linePlot(surface, { xlim: [0, Math.max(10, h.epoch[n - 1])], ylim: [0, Math.max(top * 1.05, 1e-3)], xlabel: "epoch", ylabel: "loss", integerX: true,
                          series: [{ x: x, y: tr, color: "#555", width: 1.6 }, { x: x, y: te, color: "#000", width: 1.6, dash: [5, 3] }],
                          legend: [["training", "#555"], ["test", "#000", [5, 3]]], legendAt: "right" });
  }

  // ---- controls -------------------------------------------------------------------------------------
  function buildUI(root, state) {
    root.classList.add("ml-playground");
    var top = L.el("div", "ml-pg-top", root), ui = {};
    ui.reset = L.button(top, "\u27f2", null, "ml-round"); ui.reset.title = "Reset the network to its starting weights";
    ui.play = L.button(top, "\u25b6", null, "ml-round ml-play ml-primary"); ui.play.title = "Train (play / pause)";
    ui.step = L.button(top, "\u25b6|", null, "ml-round ml-small-glyph"); ui.step.title = "Train one epoch";
    var ep = L.el("div", "ml-pg-epoch", top, "epoch"); ui.epoch = L.el("b", null, ep, "0");
    ui.controls = {
      lr: L.slider(top, { label: "learning rate", min: -4, max: 1, step: 0.1, log: true, value: state.lr }),
      activation: L.select(top, { label: "activation", options: schemaFor({}).activation.options, value: state.activation }),
      output: L.select(top, { label: "output", options: Object.keys(OUTPUTS).map(function (k) { return [k, OUTPUTS[k].label]; }), value: state.output }),
      optimizer: L.select(top, { label: "optimizer", options: ["sgd", "momentum", "adam"], value: state.optimizer }),
      batch: L.slider(top, { label: "batch size", min: 1, max: 100, step: 1, value: state.batch }),
      l2: L.select(top, { label: "L2", options: [0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1].map(function (v) { return [v, String(v)]; }), value: state.l2 })
    };
    ui.messages = L.messageBox(root);
    var main = L.el("div", "ml-pg-main", root);
    buildData(L.el("div", "ml-pg-col ml-pg-data", main), ui, state);
    var netCol = L.el("div", "ml-pg-col ml-pg-net", main);
    L.el("h4", null, netCol, "network");
    ui.layerBar = L.el("div", "ml-pg-layers", netCol);
    ui.unitBar = L.el("div", "ml-pg-layerbar", netCol);
    ui.net = L.canvas(netCol, 250, 300, "ml-canvas", "The network: a thumbnail per neuron showing what it computes over the plane, and the weights as coloured edges");
    var outCol = L.el("div", "ml-pg-col", main);
    L.el("h4", null, outCol, "output");
    ui.boundary = L.canvas(outCol, 214, 214, "ml-canvas", "The decision boundary: the network's output over the plane, with the data points on top");
    var readout = L.el("div", "ml-pg-readout", outCol);
    ui.readout = { train: L.el("div", null, readout), test: L.el("div", null, readout) };
    ui.curve = L.canvas(outCol, 214, 116, "ml-canvas", "Training loss (solid) and test loss (dashed) after every epoch");
    var foot = L.el("div", "ml-foot", root);
    ui.link = L.setupLink(foot, "playground", schemaFor({}));
    L.el("span", "ml-note", foot, "Live: the network trains in your browser (mlp.js, float64).");
    ui.setPlaying = function (on) { ui.play.textContent = on ? "\u275a\u275a" : "\u25b6"; ui.play.setAttribute("aria-pressed", String(on)); };
    ui.sync = function (s) { syncControls(ui, s); };
    ui.bind = function (s, changed, actions) { bindControls(ui, s, changed, actions); };
    ui.syncLayers = function (s, onLayers) { layerControls(ui, s, onLayers); };
    return ui;
  }

  function buildData(col, ui, state) {
    L.el("h4", null, col, "data");
    var grid = L.el("div", "ml-pg-datasets", col);
    ui.datasets = {};
    Object.keys(toy.DATASETS).forEach(function (name) {
      var c = L.canvas(grid, 36, 36, "", toy.DATASETS[name].label);
      c.canvas.title = toy.DATASETS[name].label;
      c.canvas.tabIndex = 0;
      var d = toy.makeDataset(name, 120, 0.08, 0.99, 3), view = d.view;
      c.ctx.fillStyle = "#fafafa"; c.ctx.fillRect(0, 0, 36, 36);
      d.train.X.forEach(function (p, i) {
        c.ctx.fillStyle = L.PALETTE[d.train.y[i]];
        c.ctx.fillRect((p[0] - view[0]) / (view[1] - view[0]) * 36 - 1, (view[3] - p[1]) / (view[3] - view[2]) * 36 - 1, 2, 2);
      });
      ui.datasets[name] = c.canvas;
    });
    ui.controls.noise = L.slider(col, { label: "noise", min: 0, max: 0.5, step: 0.01, value: state.noise });
    ui.controls.points = L.slider(col, { label: "points", min: 50, max: 1000, step: 50, value: state.points });
    ui.controls.train = L.slider(col, { label: "training %", min: 10, max: 90, step: 10, value: state.train });
    var row = L.el("div", "ml-pg-layers", col);
    ui.reseed = L.button(row, "new seed", null, "ml-small");
    ui.reseed.title = "Other random points and starting weights";
    ui.seed = L.el("span", null, row, "");
    var show = L.el("label", "ml-control ml-check", col);
    ui.testBox = L.el("input", null, show);
    ui.testBox.type = "checkbox";
    L.el("span", null, show, "show test data");
  }

  function bindControls(ui, state, changed, actions) {
    ui.play.addEventListener("click", actions.play);
    ui.step.addEventListener("click", actions.step);
    ui.reset.addEventListener("click", actions.reset);
    Object.keys(ui.controls).forEach(function (key) {
      ui.controls[key].onChange = function (v) { state[key] = v; changed(NETWORK_KEYS.indexOf(key) >= 0 ? "network" : "training"); };
    });
    Object.keys(ui.datasets).forEach(function (name) {
      var pick = function () { state.dataset = name; syncControls(ui, state); changed("network"); };
      ui.datasets[name].addEventListener("click", pick);
      ui.datasets[name].addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") pick(); });
    });
    ui.reseed.addEventListener("click", function () { state.seed = (state.seed + 1) % 100000; syncControls(ui, state); changed("network"); });
    ui.testBox.addEventListener("change", function () { state.test = ui.testBox.checked; changed("training"); });
    syncControls(ui, state);
  }

  function syncControls(ui, state) {
    Object.keys(ui.controls).forEach(function (key) { ui.controls[key].set(state[key]); });
    Object.keys(ui.datasets).forEach(function (name) { ui.datasets[name].classList.toggle("ml-on", name === state.dataset); });
    ui.testBox.checked = state.test;
    ui.seed.textContent = "seed " + state.seed;
  }

  /* "+ / -" buttons: a hidden layer more or fewer, and a neuron more or fewer per layer. */
  function layerControls(ui, state, onLayers) {
    var hidden = state.hidden.slice();
    ui.layerBar.textContent = "";
    L.button(ui.layerBar, "+", function () { if (hidden.length < MAX_LAYERS) onLayers(hidden.concat([4])); }, "ml-small").disabled = hidden.length >= MAX_LAYERS;
    L.button(ui.layerBar, "\u2212", function () { if (hidden.length) onLayers(hidden.slice(0, -1)); }, "ml-small").disabled = !hidden.length;
    L.el("span", null, ui.layerBar, hidden.length + " hidden layer" + (hidden.length === 1 ? "" : "s"));
    ui.unitBar.textContent = "";
    var cols = layout([2].concat(hidden, [1]), ui.net.width, ui.net.height);
    ui.unitBar.style.position = "relative";
    ui.unitBar.style.height = "58px";
    hidden.forEach(function (n, l) {
      var cell = L.el("div", "ml-pg-unit", ui.unitBar);
      cell.style.left = (cols[l + 1].x - 13) + "px";
      cell.title = n + (n === 1 ? " neuron" : " neurons") + " in hidden layer " + (l + 1);
      var change = function (d) { var h = hidden.slice(); h[l] = Math.min(MAX_UNITS, Math.max(1, n + d)); onLayers(h); };
      L.button(cell, "+", function () { change(1); }, "ml-small").disabled = n >= MAX_UNITS;
      L.button(cell, "\u2212", function () { change(-1); }, "ml-small").disabled = n <= 1;
      L.el("div", null, cell, String(n));
    });
  }

  L.register("playground", playground);
  window.mlpPlayground = { Model: Model, drawNetwork: drawNetwork, drawLosses: drawLosses, drawPoints: drawPoints,
                           thumbnails: thumbnails, outputColour: outputColour, OUTPUTS: OUTPUTS };
})();
