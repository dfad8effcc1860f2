/* mnist_worker.js: chapter 11's MNIST panel trains here, in a Web Worker, so the page stays
   responsive while the network learns (book/live/mnist_panel.js is the page's side).

   Messages from the page:
     {type: "train", id, url, settings: {hidden, activation, lr, batch, epochs, optimizer, seed}}
     {type: "stop", id}
   Messages to the page:
     {type: "loaded", n_train, n_val}          the data file has been read (once per worker)
     {type: "start", id, n_params}
     {type: "epoch", id, logs: {epoch, loss, accuracy, val_loss, val_accuracy, seconds}}
     {type: "progress", id, epoch, fraction}   a few times per epoch
     {type: "done", id, stopped}
     {type: "error", id, message, divergence}

   The network is mlp.js's Network: hidden layers of the given activation, a softmax output and
   the log-likelihood loss (chapter 4), trained by mlpjs.Trainer as mlp.training.fit trains:
   shuffle, batches, one optimizer step per batch. Training runs in chunks of CHUNK_MS so that
   a Stop message is heard at once; like the notebook's panel, the run then ends after the
   current epoch. */
importScripts("mlp.js");

var CHUNK_MS = 40, PROGRESS_MS = 250;
var data = null, run = null;

/* The subset file written by mlp.book.web.write_mnist_subset: "MLPMNIST", then little-endian uint32
   version (1), n_train, n_val, n_pixels, then the training images (uint8, row-major), their
   labels, the validation images and their labels. */
function parseSubset(buffer) {
  var bytes = new Uint8Array(buffer), view = new DataView(buffer), magic = String.fromCharCode.apply(null, bytes.subarray(0, 8));
  if (bytes.length < 24 || magic !== "MLPMNIST") throw new Error("not an MNIST subset file (bad header)");
  var version = view.getUint32(8, true), nTrain = view.getUint32(12, true), nVal = view.getUint32(16, true), pixels = view.getUint32(20, true);
  if (version !== 1 || pixels !== 784 || nTrain < 1 || nTrain > 60000 || nVal > 10000) throw new Error("unexpected MNIST subset file (version " + version + ", " + nTrain + "+" + nVal + " images of " + pixels + " pixels)");
  if (bytes.length !== 24 + (nTrain + nVal) * (pixels + 1)) throw new Error("the MNIST subset file is truncated (" + bytes.length + " bytes)");
  var offset = 24;
  function take(n) {
    var images = bytes.subarray(offset, offset + n * pixels), labels = bytes.subarray(offset + n * pixels, offset + n * (pixels + 1));
    offset += n * (pixels + 1);
    var X = new mlpjs.Matrix(n, pixels), Y = new mlpjs.Matrix(n, 10), y = Array.from(labels);
    for (var i = 0; i < images.length; i++) X.data[i] = images[i] / 255;   // mlp.data.load_mnist's scaling
    y.forEach(function (label, r) {
      if (label > 9) throw new Error("label " + label + " out of range in the MNIST subset file");
      Y.data[r * 10 + label] = 1;
    });
    return { X: X, Y: Y, y: y };
  }
  return { train: take(nTrain), val: take(nVal) };
}

function load(url) {
  if (data) return Promise.resolve(data);
  return fetch(url).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
    return response.arrayBuffer();
  }).then(function (buffer) {
    data = parseSubset(buffer);
    postMessage({ type: "loaded", n_train: data.train.X.rows, n_val: data.val.X.rows });
    return data;
  });
}

/* The network chapter 11's notebook panel builds (mlp.book.sweep.trainer): ReLU and leaky ReLU
   layers start from He's initialisation, the others from N(0, 1/n_in) (sweep.init_for). */
var RECTIFIERS = ["relu", "leaky_relu"];

function makeNetwork(s) {
  var sizes = [784].concat(s.hidden, [10]);
  var acts = s.hidden.map(function () { return s.activation; }).concat(["softmax"]);
  var init = RECTIFIERS.indexOf(s.activation) >= 0 ? "he_normal" : "scaled_normal";
  return new mlpjs.Network(sizes, acts, "cross_entropy", { seed: s.seed, init: init });
}

/* Validation loss and accuracy at the end of an epoch, as fit's validation_data. */
function evaluate(net, set) {
  var a = net.forwardMatrix(set.X), loss = net.lossValue(set.Y, 0), right = 0;
  for (var r = 0; r < a.rows; r++) right += mlpjs.argmaxRow(a, r) === set.y[r] ? 1 : 0;
  return { loss: loss, accuracy: right / a.rows };
}

function start(message) {
  load(message.url).then(function (d) {
    var s = message.settings, net = makeNetwork(s);
    var trainer = new mlpjs.Trainer(net, d.train.X, d.train.Y, { optimizer: s.optimizer, lr: s.lr, batch_size: s.batch, seed: s.seed });
    run = { id: message.id, net: net, trainer: trainer, epochs: s.epochs, stopped: false, epochStart: now(), lastProgress: now() };
    postMessage({ type: "start", id: run.id, n_params: net.nParams() });
    setTimeout(tick, 0);
  }).catch(function (err) {
    postMessage({ type: "error", id: message.id, message: String(err && err.message || err), divergence: false });
  });
}

function tick() {
  var r = run;
  if (!r) return;
  var limit = r.stopped ? r.stopAt : r.epochs, done;
  try {
    done = r.trainer.runFor(CHUNK_MS, limit);
  } catch (err) {
    run = null;
    postMessage({ type: "error", id: r.id, message: err.message, divergence: err instanceof mlpjs.DivergenceError });
    return;
  }
  done.forEach(function (logs) {
    var val = evaluate(r.net, data.val), t = now();
    logs.val_loss = val.loss;
    logs.val_accuracy = val.accuracy;
    logs.seconds = (t - r.epochStart) / 1000;
    r.epochStart = t;
    postMessage({ type: "epoch", id: r.id, logs: logs });
  });
  if (r.trainer.history.epoch.length >= limit) { finish(r.stopped); return; }
  if (now() - r.lastProgress > PROGRESS_MS) {
    r.lastProgress = now();
    postMessage({ type: "progress", id: r.id, epoch: r.trainer.epoch, fraction: r.trainer.position / r.trainer.X.rows });
  }
  setTimeout(tick, 0);
}

function finish(stopped) {
  var id = run.id;
  run = null;
  postMessage({ type: "done", id: id, stopped: stopped });
}

function now() { return performance.now(); }

onmessage = function (e) {
  var m = e.data;
  if (m.type === "train") { run = null; start(m); }
  else if (m.type === "stop" && run && run.id === m.id && !run.stopped) {  // after this epoch
    run.stopped = true;
    run.stopAt = run.trainer.history.epoch.length + 1;
  }
};
