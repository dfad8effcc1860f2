/* bench_js_cpu.js: the live widgets' arithmetic timed in CPU seconds, under Node (the same V8
   engine as Chromium), so that a machine busy with other work changes the figures little.
   Run by benchmarks/bench_js.py:  node benchmarks/bench_js_cpu.js SUBSET_FILE EPOCHS FRAMES
   Prints JSON: {mnist: [{wall, cpu}, ...] per epoch, frame: [{wall, cpu}, ...] per playground
   frame (one epoch of the 2-8-8-1 network and its 50 x 50 boundary grid; no drawing)}. */
"use strict";
var fs = require("fs"), path = require("path"), vm = require("vm");
var live = path.join(__dirname, "..", "book", "live"), sandbox = { performance: { now: function () { return Date.now(); } } };
sandbox.self = sandbox;
vm.createContext(sandbox);
["mlp.js", "toy.js"].forEach(function (f) { vm.runInContext(fs.readFileSync(path.join(live, f), "utf8"), sandbox); });
var mlpjs = sandbox.mlpjs, toy = sandbox.mlpToy;

function timed(f) {
  var c0 = process.cpuUsage(), t0 = process.hrtime.bigint();
  f();
  var c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 };
}

function readSubset(file) {  // the format mnist_worker.js parses (mlp.book.web.subset_bytes)
  var b = fs.readFileSync(file), n = b.readUInt32LE(12), X = new mlpjs.Matrix(n, 784), y = [];
  for (var i = 0; i < n * 784; i++) X.data[i] = b[24 + i] / 255;
  for (i = 0; i < n; i++) y.push(b[24 + n * 784 + i]);
  return { X: X, y: y };
}

function mnist(file, epochs) {
  var d = readSubset(file), net = new mlpjs.Network([784, 32, 10], ["relu", "softmax"], "cross_entropy", { seed: 0 });
  var trainer = new mlpjs.Trainer(net, d.X, d.y, { lr: 0.1, batch_size: 32, seed: 0 }), out = [];
  for (var e = 0; e < epochs; e++) out.push(timed(function () { var done = null; while (!done) done = trainer.step(); }));
  return out;
}

function frames(count) {
  var d = toy.makeDataset("circles", 400, 0.1, 0.5, 1), net = new mlpjs.Network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "binary_cross_entropy", { seed: 3 });
  var X = mlpjs.fromRows(d.train.X, 2), Y = net.asTargets(d.train.y.map(function (v) { return [v]; }));
  var Xt = mlpjs.fromRows(d.test.X, 2), Yt = net.asTargets(d.test.y.map(function (v) { return [v]; }));
  var trainer = new mlpjs.Trainer(net, X, Y, { lr: 0.1, batch_size: 10, seed: 1 }), G = new mlpjs.Matrix(2500, 2), out = [];
  for (var i = 0; i < 2500; i++) { G.data[2 * i] = -1.6 + 3.2 * (i % 50 + 0.5) / 50; G.data[2 * i + 1] = 1.6 - 3.2 * (Math.floor(i / 50) + 0.5) / 50; }
  for (var f = 0; f < count; f++) {
    out.push(timed(function () {
      var done = null;
      while (!done) done = trainer.step();
      net.forwardMatrix(X); net.lossValue(Y, 0); net.forwardMatrix(Xt); net.lossValue(Yt, 0);
      net.forwardMatrix(G);
    }));
  }
  return out;
}

var args = process.argv.slice(2);
console.log(JSON.stringify({ mnist: mnist(args[0], Number(args[1])), frame: frames(Number(args[2])) }));
