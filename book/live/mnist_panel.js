/* mnist_panel.js: chapter 11's training panel, live in the page (mlp.book.widgets.training_panel).

   The same controls as the notebook's panel (learning rate, hidden sizes, activation, batch
   size, epochs, optimizer; Train, Stop, Clear) and the same plots: the training loss per epoch
   and the accuracy (training solid, validation dashed), each run drawn over the older ones,
   which fade. The network (784 inputs, the hidden layers, a softmax output and the
   log-likelihood loss) trains in a Web Worker (mnist_worker.js) on the notebook's 5,000
   training and 2,000 validation images, from a file the book writes when it is built
   (mlp.book.web.write_mnist_subset). Weights and batch order come from a fixed seed, so the same
   settings give the same curves; they are not numpy's random numbers, so the curves are close
   to the notebook's, not equal. */
(function () {
  "use strict";

  var L = window.mlpLive, SCRIPT = document.currentScript && document.currentScript.src;
  var BATCHES = ["1", "8", "16", "32", "64", "128", "256", "1024"], MAX_PARAMS = 2000000;

  function schemaFor() {
    return {
      lr: { type: "number", min: 1e-4, max: 10, default: 0.1 },
      hidden: { type: "ints", min: 1, max: 1024, minLength: 0, maxLength: 4, default: [32] },
      activation: { type: "choice", options: ["relu", "sigmoid", "tanh", "leaky_relu"], default: "relu" },
      batch: { type: "choice", options: BATCHES, default: "32" },
      epochs: { type: "int", min: 1, max: 100, default: 10 },
      optimizer: { type: "choice", options: ["sgd", "momentum", "adam"], default: "sgd" }
    };
  }

  /* "64, 32" -> [64, 32]; "" -> [] (mlp.book.widgets.parse_hidden_sizes), bounded. Throws Error
     with a message for the reader. */
  function parseHiddenSizes(text) {
    var parts = text.replace(/;/g, ",").replace(/ /g, ",").split(",").filter(Boolean);
    if (!parts.every(function (p) { return /^\d{1,7}$/.test(p) && Number(p) >= 1; })) {
      throw new Error("Hidden sizes must be whole numbers \u2265 1 separated by commas, e.g. 64,32 \u2014 got \u201c" + text.slice(0, 40) + "\u201d.");
    }
    var sizes = parts.map(Number);
    if (sizes.length > 4 || sizes.some(function (n) { return n > 1024; })) {
      throw new Error("In the page, at most 4 hidden layers of at most 1024 units (the notebook has no limit).");
    }
    var sizesAll = [784].concat(sizes, [10]), params = 0;
    for (var i = 0; i + 1 < sizesAll.length; i++) params += (sizesAll[i] + 1) * sizesAll[i + 1];
    if (params > MAX_PARAMS) throw new Error("That network has " + params.toLocaleString("en") + " parameters; the page trains at most " + MAX_PARAMS.toLocaleString("en") + ".");
    return sizes;
  }

  function runLabel(run) {  // widgets._run_label
    return "lr " + L.fmt(run.settings.lr) + ", [" + (run.settings.hidden.join(",") || "none") + "], " +
           run.settings.activation + ", " + run.settings.optimizer + ", batch " + run.settings.batch;
  }

  function panel(root, options) {
    root.classList.add("ml-mnist");
    var schema = schemaFor(), read = L.readHash("mnist", schema), state = read.state;
    var ui = buildUI(root, state), runs = [], worker = null, current = null, nextId = 1;
    var dataUrl = new URL(options.data || "mnist_subset.bin", SCRIPT || document.baseURI).href;
    var api = { name: "mnist", runs: runs, messages: ui.messages, status: function () { return ui.status.textContent; } };
    if (read.messages.length) ui.messages.show(read.messages, "warning");

    function setStatus(text, error) { ui.status.textContent = text; ui.status.className = "ml-status" + (error ? " ml-error" : ""); }
    function setRunning(on) { ui.train.disabled = on; ui.stop.disabled = !on; }

    function getWorker() {
      if (worker) return worker;
      worker = new Worker(new URL("mnist_worker.js", SCRIPT || document.baseURI).href);
      worker.onmessage = function (e) { receive(e.data); };
      worker.onerror = function (e) { failed("The training worker failed: " + (e.message || "unknown error") + "."); };
      return worker;
    }

    function train() {
      if (current) { setStatus("Already training \u2014 press Stop first.", true); return null; }
      var settings;
      try {
        settings = { lr: state.lr, hidden: parseHiddenSizes(ui.hidden.value), activation: state.activation,
                     batch: Number(state.batch), epochs: state.epochs, optimizer: state.optimizer, seed: 0 };
      } catch (err) { setStatus(err.message, true); return null; }
      state.hidden = settings.hidden;
      ui.link.update(state);
      var w;
      try { w = getWorker(); } catch (err) {
        setStatus("This panel trains in a Web Worker, which this page cannot start (" + err.message + "). " + serveHint(), true);
        return null;
      }
      current = { id: nextId++, settings: settings, history: { epoch: [], loss: [], accuracy: [], val_loss: [], val_accuracy: [], seconds: [] }, error: null, running: true };
      runs.push(current);
      setRunning(true);
      setStatus(dataLoaded ? "Training\u2026" : "Loading the 5,000 training and 2,000 validation digits (5.5 MB)\u2026");
      w.postMessage({ type: "train", id: current.id, url: dataUrl, settings: settings });
      redraw();
      return current;
    }

    var dataLoaded = false;
    function receive(m) {
      if (m.type === "loaded") { dataLoaded = true; setStatus("Training\u2026"); return; }
      if (!current || m.id !== current.id) return;
      var h = current.history;
      if (m.type === "epoch") {
        Object.keys(h).forEach(function (k) { h[k].push(m.logs[k]); });
        setStatus(progress(current, m.logs));
        redraw();
      } else if (m.type === "progress") {
        setStatus((current.stopping ? "Stopping after this epoch: " : "") + "epoch " + m.epoch + "/" + current.settings.epochs + " (" + Math.round(100 * m.fraction) + "%)" + (h.loss.length ? ": last loss " + h.loss[h.loss.length - 1].toFixed(4) : "") + "\u2026");
      } else if (m.type === "done") {
        current.running = false;
        current.stopped = m.stopped;
        setStatus(summary(current));
        end();
      } else if (m.type === "error") {
        current.error = m.message;
        failed(m.divergence ? "Training diverged \u2014 lower the learning rate. (" + m.message + ")" : "Could not train: " + m.message + ". " + (m.message.indexOf("HTTP") >= 0 || m.message.indexOf("fetch") >= 0 ? serveHint() : ""));
      }
    }

    function failed(text) {
      if (current) { current.running = false; current.error = current.error || text; }
      setStatus(text, true);
      end();
    }

    function end() { current = null; setRunning(false); redraw(); }

    function stop() {
      if (!current || !worker) return;
      current.stopping = true;
      worker.postMessage({ type: "stop", id: current.id });
      setStatus("Stopping after this epoch\u2026");
    }

    function clear() {
      for (var i = runs.length - 1; i >= 0; i--) if (!runs[i].running) runs.splice(i, 1);
      redraw();
      if (!runs.length) setStatus("Cleared. Press Train to start.");
    }

    function redraw() { drawRuns(ui.lossPlot, ui.accPlot, runs); }

    ui.train.addEventListener("click", train);
    ui.stop.addEventListener("click", stop);
    ui.clear.addEventListener("click", clear);
    bindControls(ui, state);
    ui.link.update(state);
    window.addEventListener("hashchange", function () {
      var again = L.readHash("mnist", schema);
      if (!again.fromLink) return;
      Object.assign(state, again.state);
      syncControls(ui, state);
      ui.messages.show(again.messages, "warning");
      ui.link.update(state);
    });
    redraw();
    api.train = train;
    api.stop = stop;
    api.clear = clear;
    api.state = function () { return JSON.parse(JSON.stringify(state)); };
    api.running = function () { return !!current; };
    api.set = function (key, value) { state[key] = value; syncControls(ui, state); ui.link.update(state); };
    return api;
  }

  function serveHint() {
    return location.protocol === "file:" ? "Open the book through a web server (python -m http.server -d _build/html), not as a file." : "";
  }

  function progress(run, logs) {  // widgets._progress
    return "epoch " + logs.epoch + "/" + run.settings.epochs + ": loss " + logs.loss.toFixed(4) + ", accuracy " + logs.accuracy.toFixed(3) +
           ", validation " + logs.val_accuracy.toFixed(3) + " (" + logs.seconds.toFixed(2) + " s/epoch)";
  }

  function summary(run) {  // widgets._summary
    var h = run.history, n = h.epoch.length;
    if (!n) return "Stopped before the first epoch ended.";
    return "Done: " + n + " epochs, train accuracy " + h.accuracy[n - 1].toFixed(3) + ", validation accuracy " +
           h.val_accuracy[n - 1].toFixed(3) + (run.stopped ? " (stopped)" : "") + ".";
  }

  /* widgets._draw_runs: loss (left) and accuracy (right, validation dashed); newest opaque. */
  function drawRuns(lossPlot, accPlot, runs) {
    var series = { loss: [], acc: [] }, legend = [], maxEpoch = 1, maxLoss = 0, minAcc = 1;
    runs.forEach(function (run, i) {
      var h = run.history, newest = i === runs.length - 1, colour = L.PALETTE[i % L.PALETTE.length];
      var style = { color: colour, alpha: newest ? 1 : 0.35, width: newest ? 2 : 1.2, dots: h.epoch.length < 25 };
      maxEpoch = Math.max(maxEpoch, h.epoch.length);
      h.loss.forEach(function (v) { if (isFinite(v)) maxLoss = Math.max(maxLoss, v); });
      h.accuracy.concat(h.val_accuracy).forEach(function (v) { if (isFinite(v)) minAcc = Math.min(minAcc, v); });
      series.loss.push(Object.assign({ x: h.epoch, y: h.loss }, style));
      series.acc.push(Object.assign({ x: h.epoch, y: h.accuracy }, style));
      series.acc.push(Object.assign({ x: h.epoch, y: h.val_accuracy, dash: [5, 3] }, style));
      if (i >= runs.length - 4) legend.push([runLabel(run), colour, [], newest ? 1 : 0.5]);
    });
    L.linePlot(lossPlot, { xlim: [1, Math.max(2, maxEpoch)], ylim: [0, Math.max(maxLoss * 1.08, 0.1)], xlabel: "epoch", ylabel: "loss", integerX: true,
                           title: "Training loss", series: series.loss, legend: legend, legendAt: "right" });
    L.linePlot(accPlot, { xlim: [1, Math.max(2, maxEpoch)], ylim: [Math.max(0, Math.floor((minAcc - 0.02) * 20) / 20), 1], xlabel: "epoch", ylabel: "accuracy", integerX: true,
                          title: "Accuracy", series: series.acc,
                          legend: runs.length ? [["train", "#444"], ["validation", "#444", [5, 3]]] : [], legendAt: "right" });
    if (!runs.length) {
      [lossPlot, accPlot].forEach(function (p) {
        p.ctx.fillStyle = "#888"; p.ctx.font = "13px sans-serif"; p.ctx.textAlign = "center"; p.ctx.textBaseline = "middle";
        p.ctx.fillText("Press Train to start", p.width / 2, p.height / 2);
      });
    }
  }

  function buildUI(root, state) {
    var ui = {}, rows = [L.el("div", "ml-controls", root), L.el("div", "ml-controls", root), L.el("div", "ml-controls", root)];
    ui.controls = {
      lr: L.slider(rows[0], { label: "learning rate", min: -4, max: 1, step: 0.1, log: true, value: state.lr, format: function (v) { return L.fmt(v, 2); } })
    };
    var hidden = L.el("label", "ml-control", rows[0]);
    L.el("span", "ml-label", hidden, "hidden sizes");
    ui.hidden = L.el("input", "ml-text", hidden);
    ui.hidden.type = "text"; ui.hidden.placeholder = "e.g. 64,32"; ui.hidden.maxLength = 40;
    ui.controls.activation = L.select(rows[0], { label: "activation", options: schemaFor().activation.options, value: state.activation });
    ui.controls.batch = L.select(rows[1], { label: "batch size", options: BATCHES, value: state.batch });
    ui.controls.epochs = L.slider(rows[1], { label: "epochs", min: 1, max: 100, step: 1, value: state.epochs });
    ui.controls.optimizer = L.select(rows[1], { label: "optimizer", options: ["sgd", "momentum", "adam"], value: state.optimizer });
    ui.train = L.button(rows[2], "\u25b6 Train", null, "ml-primary");
    ui.stop = L.button(rows[2], "\u25a0 Stop");
    ui.clear = L.button(rows[2], "Clear");
    ui.stop.disabled = true;
    ui.status = L.el("span", "ml-status", rows[2], "Press Train to start.");
    ui.status.setAttribute("role", "status");
    ui.messages = L.messageBox(root);
    var row = L.el("div", "ml-row", root);
    ui.lossPlot = L.canvas(row, 318, 240, "ml-canvas", "Training loss per epoch, one line per run, the newest opaque");
    ui.accPlot = L.canvas(row, 318, 240, "ml-canvas", "Accuracy per epoch: training solid, validation dashed");
    var foot = L.el("div", "ml-foot", root);
    ui.link = L.setupLink(foot, "mnist", schemaFor());
    L.el("span", "ml-note", foot, "Live: the network trains in your browser (mlp.js in a Web Worker, float64), on the same 5,000 + 2,000 digits as the notebook.");
    return ui;
  }

  function bindControls(ui, state) {
    Object.keys(ui.controls).forEach(function (key) {
      ui.controls[key].onChange = function (v) { state[key] = v; ui.link.update(state); };
    });
    ui.hidden.addEventListener("change", function () {
      try { state.hidden = parseHiddenSizes(ui.hidden.value); ui.link.update(state); } catch (err) { /* reported on Train */ }
    });
    syncControls(ui, state);
  }

  function syncControls(ui, state) {
    Object.keys(ui.controls).forEach(function (key) { ui.controls[key].set(state[key]); });
    ui.hidden.value = state.hidden.join(",");
  }

  L.register("mnist", panel);
  window.mlpMnistPanel = { parseHiddenSizes: parseHiddenSizes };
})();
