/* mlp.js: the book's `mlp` package in plain JavaScript, so networks train in the reader's page.

   "Neural networks from scratch": the online book's live widgets (the playground, chapter 11's
   MNIST panel, the small explorers) all run this file. It is a port, function by function, of
   the Python the chapters derive; each piece names the chapter and the Python it mirrors.
   Everything is float64 (the Python package trains in float32 by default; tests compare the two
   in float64, where they agree to rounding: tests/test_live_parity.py).

   Notation, as in the book (CONTRIBUTING.md): rows are examples. A layer computes
       z = a_prev W + b,   a = f(z),      W: (n_in, n_out), b: (n_out,)
   and backpropagation, given delta = dL/dz,
       dW = a_prev^T delta,   db = sum of delta's rows,   da_prev = delta W^T.

   No framework, no build step, nothing fetched: it runs in a page (window.mlpjs) and in a Web
   Worker (self.mlpjs). The public surface, for tests and curious readers:

       var net = mlpjs.fromJSON(obj);       // a network in mlp.book.web's JSON format
       net.forward(X)                       // X: array of rows -> array of output rows
       net.loss(X, Y)                       // mean loss (+ l2/2 sum W^2 with a third argument)
       net.gradients(X, Y)                  // [[dW, db], ...], dW as n_in x n_out rows
       net.step(X, Y, {optimizer: "adam", lr: 0.01, l2: 0})   // one update; the batch's loss
*/
(function (global) {
  "use strict";

  function check(ok, message) {  // a clear error naming what was expected and what came
    if (!ok) throw new Error(message);
  }

  // ---- matrices: rows are examples ----------------------------------------------------------
  /* A rows x cols matrix, row-major in a Float64Array (what numpy calls C order). */
  function Matrix(rows, cols, data) {
    this.rows = rows;
    this.cols = cols;
    this.data = data || new Float64Array(rows * cols);
    if (this.data.length !== rows * cols) {
      throw new Error("a " + rows + "x" + cols + " matrix needs " + rows * cols + " numbers, got " +
                      this.data.length);
    }
  }

  /* An array of rows (each an array of numbers) as a Matrix; mlp.checks.as_inputs's checks. */
  function fromRows(X, cols, name) {
    name = name || "X";
    if (X instanceof Matrix) {
      check(cols === undefined || X.cols === cols, name + " must have " + cols + " columns, got " + X.cols);
      return X;
    }
    if (!Array.isArray(X) || !X.length) throw new Error(name + " must be a non-empty array of rows");
    var n = X.length, width = cols === undefined ? X[0].length : cols, M = new Matrix(n, width);
    for (var r = 0; r < n; r++) {
      var row = X[r];
      if (!row || row.length !== width) {
        throw new Error(name + " must have shape (N, " + width + "): row " + r + " has " +
                        (row ? row.length : "no") + " entries");
      }
      for (var c = 0; c < width; c++) {
        var v = row[c];
        check(typeof v === "number" && isFinite(v), name + "[" + r + "][" + c + "] is not a finite number");
        M.data[r * width + c] = v;
      }
    }
    return M;
  }

  function toRows(M) {
    var out = [];
    for (var r = 0; r < M.rows; r++) out.push(Array.from(M.data.subarray(r * M.cols, (r + 1) * M.cols)));
    return out;
  }

  /* Z = A W (+ b): the forward product of a layer (chapter 3). Zero entries of A are skipped:
     MNIST images are mostly blank, and half of the ReLUs are off. */
  function matmul(A, W, b) {
    var n = A.rows, nIn = A.cols, nOut = W.cols, Z = new Matrix(n, nOut), a = A.data, w = W.data;
    var z = Z.data;
    for (var r = 0; r < n; r++) {
      var zr = r * nOut;
      if (b) for (var j = 0; j < nOut; j++) z[zr + j] = b[j];
      for (var i = 0; i < nIn; i++) {
        var ai = a[r * nIn + i];
        if (ai === 0) continue;
        var wi = i * nOut;
        for (j = 0; j < nOut; j++) z[zr + j] += ai * w[wi + j];
      }
    }
    return Z;
  }

  /* dW = A^T D (chapter 6): one outer product per example, summed; zero inputs skipped. */
  function matmulTransposedA(A, D) {
    var nIn = A.cols, nOut = D.cols, out = new Matrix(nIn, nOut), a = A.data, d = D.data;
    var o = out.data;
    for (var r = 0; r < A.rows; r++) {
      var dr = r * nOut;
      for (var i = 0; i < nIn; i++) {
        var ai = a[r * nIn + i];
        if (ai === 0) continue;
        var oi = i * nOut;
        for (var j = 0; j < nOut; j++) o[oi + j] += ai * d[dr + j];
      }
    }
    return out;
  }

  /* da_prev = D W^T (chapter 6): how the loss changes with the previous layer's output. */
  function matmulTransposedB(D, W) {
    var n = D.rows, nOut = D.cols, nIn = W.rows, out = new Matrix(n, nIn), d = D.data, w = W.data;
    for (var r = 0; r < n; r++) {
      for (var i = 0; i < nIn; i++) {
        var s = 0;
        for (var j = 0; j < nOut; j++) s += d[r * nOut + j] * w[i * nOut + j];
        out.data[r * nIn + i] = s;
      }
    }
    return out;
  }

  function sumRows(D) {  // db = delta.sum(0)
    var out = new Float64Array(D.cols);
    for (var r = 0; r < D.rows; r++) for (var j = 0; j < D.cols; j++) out[j] += D.data[r * D.cols + j];
    return out;
  }

  function mapMatrix(M, f) {
    var out = new Matrix(M.rows, M.cols);
    for (var i = 0; i < M.data.length; i++) out.data[i] = f(M.data[i]);
    return out;
  }

  // ---- activations: chapter 2, mlp/activations.py ---------------------------------------------
  /* An elementwise activation from f(z) and its derivative f'(z) (given a = f(z) too, so
     sigmoid and tanh reuse it): forward, derivative and backward side by side, as in
     mlp.activations.Activation. backward is the chain rule: delta = da * f'(z). */
  function elementwise(name, f, fPrime, extra) {
    var act = {
      name: name,
      forward: function (z) { return mapMatrix(z, f); },
      derivative: function (z, a) {
        var out = new Matrix(z.rows, z.cols);
        for (var i = 0; i < z.data.length; i++) out.data[i] = fPrime(z.data[i], a.data[i]);
        return out;
      },
      backward: function (z, a, da) {
        var out = new Matrix(z.rows, z.cols);
        for (var i = 0; i < z.data.length; i++) out.data[i] = da.data[i] * fPrime(z.data[i], a.data[i]);
        return out;
      },
      f: f, fPrime: fPrime,
      config: function () { return Object.assign({ name: name }, extra || {}); }
    };
    return act;
  }

  /* Softmax over each row (mlp.activations.Softmax): the row maximum is subtracted first (same
     result, no overflow). Its Jacobian is diag(a) - a a^T, so backward is the product
     delta = a * (da - sum_k da_k a_k). */
  function softmax() {
    return {
      name: "softmax",
      forward: function (z) {
        var a = new Matrix(z.rows, z.cols), k = z.cols;
        for (var r = 0; r < z.rows; r++) {
          var max = -Infinity, sum = 0, j;
          for (j = 0; j < k; j++) max = Math.max(max, z.data[r * k + j]);
          for (j = 0; j < k; j++) {
            a.data[r * k + j] = Math.exp(z.data[r * k + j] - max);
            sum += a.data[r * k + j];
          }
          for (j = 0; j < k; j++) a.data[r * k + j] /= sum;
        }
        return a;
      },
      derivative: function () { throw new Error("softmax has a Jacobian, not an elementwise derivative"); },
      backward: function (z, a, da) {
        var delta = new Matrix(z.rows, z.cols), k = z.cols;
        for (var r = 0; r < z.rows; r++) {
          var dot = 0, j;
          for (j = 0; j < k; j++) dot += da.data[r * k + j] * a.data[r * k + j];
          for (j = 0; j < k; j++) delta.data[r * k + j] = a.data[r * k + j] * (da.data[r * k + j] - dot);
        }
        return delta;
      },
      config: function () { return { name: "softmax" }; }
    };
  }

  var ACTIVATIONS = {
    identity: function () {
      return elementwise("identity", function (z) { return z; }, function () { return 1; });
    },
    // the perceptron's step (chapter 1): derivative 0 wherever it exists, so it cannot be trained
    step: function () {
      return elementwise("step", function (z) { return z > 0 ? 1 : 0; }, function () { return 0; });
    },
    // mlp.activations._sigmoid: with e = e^-|z| in (0, 1], 1 / (1 + e) for z >= 0 and
    // e / (1 + e) for z < 0, a form that never overflows nor loses the lower tail
    sigmoid: function () {
      return elementwise("sigmoid",
                         function (z) { var e = Math.exp(-Math.abs(z)); return (z < 0 ? e : 1) / (1 + e); },
                         function (z, a) { return a * (1 - a); });
    },
    tanh: function () { return elementwise("tanh", Math.tanh, function (z, a) { return 1 - a * a; }); },
    // ReLU's derivative is 0 at z = 0, as in mlp
    relu: function () {
      return elementwise("relu", function (z) { return z > 0 ? z : 0; }, function (z) { return z > 0 ? 1 : 0; });
    },
    leaky_relu: function (spec) {
      var alpha = spec && spec.alpha !== undefined ? Number(spec.alpha) : 0.01;
      if (!isFinite(alpha)) throw new Error("leaky_relu needs a finite alpha");
      return elementwise("leaky_relu", function (z) { return z > 0 ? z : z * alpha; },
                         function (z) { return z > 0 ? 1 : alpha; }, { alpha: alpha });
    },
    softmax: softmax
  };
  ACTIVATIONS.linear = ACTIVATIONS.identity;

  /* An activation from a name ("relu") or a config ({name: "leaky_relu", alpha: 0.01}), as
     mlp.activations.get_activation. */
  function getActivation(spec) {
    var name = typeof spec === "string" ? spec : spec && spec.name;
    if (!Object.prototype.hasOwnProperty.call(ACTIVATIONS, name)) {
      throw new Error("unknown activation " + JSON.stringify(name) + "; expected one of " +
                      Object.keys(ACTIVATIONS).join(", "));
    }
    return ACTIVATIONS[name](typeof spec === "string" ? {} : spec);
  }

  // ---- losses: chapter 4, mlp/losses.py ---------------------------------------------------------
  function softplus(z) {  // log(1 + e^z) without overflow: np.logaddexp(0, z)
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  /* Each loss knows its value, the mean over the N rows of a per-example cost C, and the delta
     dL/dz it sends into the output layer. The classic pairs are fused (chapter 6): sigmoid with
     binary cross-entropy and softmax with log-likelihood both give delta = (a - Y) / N, and
     their values are computed from z, so they never take log 0. */
  function meanOf(costs, n) { var s = 0; for (var r = 0; r < n; r++) s += costs[r]; return s / n; }

  function fusedDelta(a, Y) {  // (a - Y) / N
    var delta = new Matrix(a.rows, a.cols);
    for (var i = 0; i < a.data.length; i++) delta.data[i] = (a.data[i] - Y.data[i]) / a.rows;
    return delta;
  }

  var EPS = 1e-12;  // mlp's clip for the unfused cross-entropies
  function clip(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

  var LOSSES = {
    /* C = 1/2 sum_k (a_k - y_k)^2 (MeanSquaredError); dL/da = (a - Y) / N, then the chain rule
       through the output activation. */
    mse: {
      name: "mse",
      value: function (z, a, Y) {
        var costs = new Float64Array(a.rows), k = a.cols;
        for (var r = 0; r < a.rows; r++) {
          var s = 0;
          for (var j = 0; j < k; j++) { var e = a.data[r * k + j] - Y.data[r * k + j]; s += e * e; }
          costs[r] = 0.5 * s;
        }
        return meanOf(costs, a.rows);
      },
      delta: function (z, a, Y, activation) { return activation.backward(z, a, fusedDelta(a, Y)); }
    },
    /* C = -sum_k [y_k log a_k + (1 - y_k) log(1 - a_k)] (BinaryCrossEntropy). With a sigmoid
       output, log a = -softplus(-z), log(1 - a) = -softplus(z), and sigma'(z) cancels. */
    binary_cross_entropy: {
      name: "binary_cross_entropy",
      value: function (z, a, Y, activation) {
        var costs = new Float64Array(a.rows), k = a.cols, sig = activation.name === "sigmoid";
        for (var r = 0; r < a.rows; r++) {
          var s = 0;
          for (var j = 0; j < k; j++) {
            var i = r * k + j, y = Y.data[i];
            if (sig) s += y * softplus(-z.data[i]) + (1 - y) * softplus(z.data[i]);
            else { var p = clip(a.data[i], EPS, 1 - EPS); s -= y * Math.log(p) + (1 - y) * Math.log(1 - p); }
          }
          costs[r] = s;
        }
        return meanOf(costs, a.rows);
      },
      delta: function (z, a, Y, activation) {
        if (activation.name === "sigmoid") return fusedDelta(a, Y);
        var da = new Matrix(a.rows, a.cols);
        for (var i = 0; i < a.data.length; i++) {
          var p = clip(a.data[i], EPS, 1 - EPS);
          da.data[i] = (p - Y.data[i]) / (p * (1 - p)) / a.rows;
        }
        return activation.backward(z, a, da);
      }
    },
    /* Log-likelihood C = -log a_y = -sum_k y_k log a_k (CategoricalCrossEntropy); with softmax,
       -log a_y = logsumexp(z) - z_y. */
    cross_entropy: {
      name: "categorical_cross_entropy",
      value: function (z, a, Y, activation) {
        var costs = new Float64Array(a.rows), k = a.cols, soft = activation.name === "softmax";
        for (var r = 0; r < a.rows; r++) {
          var j, s = 0, ySum = 0, yz = 0;
          if (soft) {
            var max = -Infinity, e = 0;
            for (j = 0; j < k; j++) max = Math.max(max, z.data[r * k + j]);
            for (j = 0; j < k; j++) e += Math.exp(z.data[r * k + j] - max);
            for (j = 0; j < k; j++) {
              ySum += Y.data[r * k + j];
              yz += Y.data[r * k + j] * z.data[r * k + j];
            }
            costs[r] = (max + Math.log(e)) * ySum - yz;
          } else {
            for (j = 0; j < k; j++) s -= Y.data[r * k + j] * Math.log(Math.max(a.data[r * k + j], EPS));
            costs[r] = s;
          }
        }
        return meanOf(costs, a.rows);
      },
      delta: function (z, a, Y, activation) {
        if (activation.name === "softmax") return fusedDelta(a, Y);
        var da = new Matrix(a.rows, a.cols);
        for (var i = 0; i < a.data.length; i++) da.data[i] = -Y.data[i] / Math.max(a.data[i], EPS) / a.rows;
        return activation.backward(z, a, da);
      }
    }
  };
  var LOSS_NAMES = { mse: "mse", mean_squared_error: "mse", binary_cross_entropy: "binary_cross_entropy",
                     bce: "binary_cross_entropy", cross_entropy: "cross_entropy",
                     categorical_cross_entropy: "cross_entropy", log_likelihood: "cross_entropy" };

  function getLoss(name) {  // mlp.losses.get_loss
    if (!Object.prototype.hasOwnProperty.call(LOSS_NAMES, name)) {
      throw new Error("unknown loss " + JSON.stringify(name) + "; expected one of " +
                      Object.keys(LOSS_NAMES).join(", "));
    }
    return LOSSES[LOSS_NAMES[name]];
  }

  // ---- random numbers and initial weights: chapter 7, mlp/init.py ---------------------------------
  /* A small seeded generator (mulberry32) with normal draws by Box-Muller. It is not numpy's
     PCG64, so the page's networks start from other random numbers than mlp's, drawn from the
     same distributions; the same seed gives the same numbers on every visit. */
  function Random(seed) {
    this.state = (Number(seed) >>> 0) ^ 0x9e3779b9;
    this.spare = null;
  }
  Random.prototype.uniform = function () {  // in [0, 1)
    var t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  Random.prototype.normal = function () {
    if (this.spare !== null) { var s = this.spare; this.spare = null; return s; }
    var u = 1 - this.uniform(), v = this.uniform(), r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  Random.prototype.permutation = function (n) {  // Fisher-Yates, like rng.permutation(n)
    var order = new Int32Array(n);
    for (var i = 0; i < n; i++) order[i] = i;
    for (i = n - 1; i > 0; i--) {
      var j = Math.floor(this.uniform() * (i + 1)), t = order[i];
      order[i] = order[j]; order[j] = t;
    }
    return order;
  };

  /* W from N(0, 1/n_in), b = 0: mlp.init.scaled_normal, the default of mlp.MLP. z sums n_in
     terms, so unit-variance weights would make it grow like sqrt(n_in) and saturate sigmoids. */
  function scaledNormal(nIn, nOut, rng) {
    return normalLayer(nIn, nOut, rng, 1 / Math.sqrt(nIn));
  }

  /* W from N(0, 2/n_in), b = 0: mlp.init.he_normal (chapter 10). A ReLU zeroes about half of
     its inputs, so the 2 keeps the variance of z the same from layer to layer. */
  function heNormal(nIn, nOut, rng) {
    return normalLayer(nIn, nOut, rng, Math.sqrt(2 / nIn));
  }

  function normalLayer(nIn, nOut, rng, scale) {
    var W = new Matrix(nIn, nOut);
    for (var i = 0; i < W.data.length; i++) W.data[i] = rng.normal() * scale;
    return { W: W, b: new Float64Array(nOut) };
  }

  var INITIALIZERS = { scaled_normal: scaledNormal, he_normal: heNormal };

  // ---- a layer: chapters 3 and 6, mlp/layers.py (Dense) ---------------------------------------
  /* n_out neurons fed by n_in inputs. forward caches exactly what backward needs. */
  function Dense(W, b, activation) {
    this.W = W;
    this.b = b;
    this.activation = getActivation(activation);
    this.cache = null;
  }

  /* a = f(a_prev W + b), shape (N, n_out) */
  Dense.prototype.forward = function (aPrev) {
    var z = matmul(aPrev, this.W, this.b), a = this.activation.forward(z);
    this.cache = { aPrev: aPrev, z: z, a: a };
    return a;
  };

  /* From da = dL/da of this layer's output to {daPrev, dW, db}: delta = f'(z) * da first. */
  Dense.prototype.backward = function (da, needDaPrev) {
    var c = this.cache;
    return this.backwardDelta(this.activation.backward(c.z, c.a, da), needDaPrev);
  };

  /* Given delta = dL/dz: dW = a_prev^T delta, db = delta.sum(0), da_prev = delta W^T. The first
     layer skips da_prev: nobody needs dL/dX. */
  Dense.prototype.backwardDelta = function (delta, needDaPrev) {
    return { dW: matmulTransposedA(this.cache.aPrev, delta), db: sumRows(delta),
             daPrev: needDaPrev ? matmulTransposedB(delta, this.W) : null };
  };

  // ---- the network: chapters 3, 6 and 7, mlp/network.py (MLP) ----------------------------------
  /* sizes: [n_in, hidden..., n_out]; activations: one spec per layer (the last is the output's);
     loss: "mse", "binary_cross_entropy" or "cross_entropy". options: seed; init, the seeded
     start of every layer ("scaled_normal", the default, or "he_normal", as MLP's init=); or
     layers, [{W, b}] to use instead. */
  function Network(sizes, activations, loss, options) {
    var o = options || {}, rng = new Random(o.seed === undefined ? 0 : o.seed);
    var init = INITIALIZERS[o.init || "scaled_normal"];
    check(init !== undefined, "unknown init " + JSON.stringify(o.init) + ": expected one of " +
          Object.keys(INITIALIZERS).join(", "));
    checkSizes(sizes);
    check(activations.length === sizes.length - 1, "one activation per layer: " + (sizes.length - 1) +
          " expected, " + activations.length + " given");
    this.sizes = sizes.slice();
    this.lossFn = getLoss(loss);
    this.layers = [];
    for (var l = 0; l < sizes.length - 1; l++) {
      var p = o.layers ? o.layers[l] : init(sizes[l], sizes[l + 1], rng);
      this.layers.push(new Dense(p.W, p.b, activations[l]));
    }
    checkPairing(this.layers[this.layers.length - 1].activation.name, this.lossFn.name);
    this.optimizer = null;
  }

  function checkSizes(sizes) {
    check(Array.isArray(sizes) && sizes.length >= 2, "sizes must list at least an input and an output width");
    sizes.forEach(function (n) {
      check(Number.isInteger(n) && n >= 1, "layer sizes must be whole numbers >= 1, got " + JSON.stringify(sizes));
    });
  }

  /* The output/loss pairs the book trains (chapter 4): MSE after any output; binary
     cross-entropy after a sigmoid; log-likelihood after a softmax. */
  function checkPairing(output, loss) {
    check(loss !== "binary_cross_entropy" || output === "sigmoid",
          "binary cross-entropy needs a sigmoid output, got " + output);
    check(loss !== "categorical_cross_entropy" || output === "softmax",
          "the log-likelihood needs a softmax output, got " + output);
  }

  Network.prototype.asInputs = function (X) { return fromRows(X, this.sizes[0], "X"); };

  /* Targets as a Matrix (N, n_out): rows of targets, or integer labels one-hot encoded
     (mlp.checks.as_targets). */
  Network.prototype.asTargets = function (Y, n) {
    var nOut = this.sizes[this.sizes.length - 1];
    if (Y instanceof Matrix) return fromRows(Y, nOut, "Y");
    if (Array.isArray(Y) && Y.length && typeof Y[0] === "number") {
      Y = Y.map(function (y) {
        if (nOut === 1) return [y];
        check(Number.isInteger(y) && y >= 0 && y < nOut, "labels must be whole numbers in 0.." + (nOut - 1) + ", got " + y);
        var row = new Array(nOut).fill(0); row[y] = 1; return row;
      });
    }
    var M = fromRows(Y, nOut, "Y");
    check(n === undefined || M.rows === n, "Y has " + M.rows + " rows but X has " + n + ": one target per example");
    return M;
  };

  /* Output activations (N, n_out); an array of rows in, an array of rows out. */
  Network.prototype.forward = function (X) {
    var a = this.forwardMatrix(this.asInputs(X));
    return X instanceof Matrix ? a : toRows(a);
  };

  Network.prototype.forwardMatrix = function (a) {
    for (var l = 0; l < this.layers.length; l++) a = this.layers[l].forward(a);
    return a;
  };

  /* Mean loss over the batch, plus l2/2 times the sum of every squared weight (biases are not
     decayed; chapter 10). MLP.loss. */
  Network.prototype.loss = function (X, Y, l2) {
    X = this.asInputs(X);
    Y = this.asTargets(Y, X.rows);
    this.forwardMatrix(X);
    return this.lossValue(Y, l2 || 0);
  };

  Network.prototype.lossValue = function (Y, l2) {  // from the cached forward pass (MLP._loss_value)
    var out = this.layers[this.layers.length - 1], c = out.cache;
    return this.lossFn.value(c.z, c.a, Y, out.activation) + this.l2Penalty(l2);
  };

  Network.prototype.l2Penalty = function (l2) {
    if (!l2) return 0;
    var s = 0;
    this.layers.forEach(function (layer) {
      var w = layer.W.data, v = 0;
      for (var i = 0; i < w.length; i++) v += w[i] * w[i];
      s += v;
    });
    return 0.5 * l2 * s;
  };

  /* The exact gradient of loss(X, Y, l2), one [dW, db] per layer (MLP.gradients). */
  Network.prototype.gradients = function (X, Y, l2) {
    var Xm = this.asInputs(X);
    this.forwardMatrix(Xm);
    var grads = this.backward(this.asTargets(Y, Xm.rows), l2 || 0);
    if (X instanceof Matrix) return grads;
    return grads.map(function (g) { return [toRows(g.dW), Array.from(g.db)]; });
  };

  /* Backpropagation (chapter 6, MLP._backward): delta at the output from the loss, then layer
     by layer towards the input; L2 adds l2 * W to each dW. */
  Network.prototype.backward = function (Y, l2) {
    var L = this.layers.length, out = this.layers[L - 1], c = out.cache;
    var delta = this.lossFn.delta(c.z, c.a, Y, out.activation);
    var g = out.backwardDelta(delta, L > 1), grads = [g];
    for (var l = L - 2; l >= 0; l--) {
      g = this.layers[l].backward(g.daPrev, l > 0);
      grads.unshift(g);
    }
    if (l2) {
      grads.forEach(function (g, l) {
        var w = this.layers[l].W.data;
        for (var i = 0; i < w.length; i++) g.dW.data[i] += l2 * w[i];
      }, this);
    }
    return grads;
  };

  /* All learned arrays, layer by layer: W, b (MLP.params). */
  Network.prototype.params = function () {
    var out = [];
    this.layers.forEach(function (layer) { out.push(layer.W.data, layer.b); });
    return out;
  };

  /* One gradient step on the batch (X, Y) with options {optimizer: "sgd" | "momentum" | "adam",
     lr, momentum, l2}; returns the batch's loss before the step. The optimizer (and its
     momentum or moments) is kept between calls while its name stays the same. */
  Network.prototype.step = function (X, Y, options) {
    var o = options || {}, name = o.optimizer || "sgd";
    if (!this.optimizer || this.optimizer.kind !== name) {
      this.optimizer = makeOptimizer(name, o.lr, o.momentum);
    }
    if (o.lr !== undefined) this.optimizer.learningRate = Number(o.lr);
    X = this.asInputs(X);
    Y = this.asTargets(Y, X.rows);
    return trainStep(this, X, Y, this.optimizer, o.l2 || 0, 0, 0).loss;
  };

  /* Predicted classes: argmax of the outputs, or output > 0.5 for one output unit. */
  Network.prototype.predict = function (X) {
    var a = this.forwardMatrix(this.asInputs(X)), out = [];
    for (var r = 0; r < a.rows; r++) out.push(argmaxRow(a, r));
    return out;
  };

  function argmaxRow(a, r) {
    if (a.cols === 1) return a.data[r] > 0.5 ? 1 : 0;
    var best = 0;
    for (var j = 1; j < a.cols; j++) if (a.data[r * a.cols + j] > a.data[r * a.cols + best]) best = j;
    return best;
  }

  function countCorrect(a, Y) {  // training._count_correct
    var correct = 0;
    for (var r = 0; r < a.rows; r++) {
      if (a.cols === 1) correct += (a.data[r] > 0.5) === (Y.data[r] > 0.5) ? 1 : 0;
      else correct += argmaxRow(a, r) === argmaxRow(Y, r) ? 1 : 0;
    }
    return correct;
  }

  Network.prototype.nParams = function () {
    return this.layers.reduce(function (s, l) { return s + l.W.data.length + l.b.length; }, 0);
  };

  // ---- optimizers: chapters 5 and 10, mlp/optimizers.py -----------------------------------------
  /* Plain gradient descent theta <- theta - eta grad; with momentum beta (classical momentum):
     v <- beta v - eta grad, theta <- theta + v. (SGD) */
  function SGD(learningRate, momentum) {
    this.kind = momentum ? "momentum" : "sgd";
    this.learningRate = learningRate;
    this.momentum = momentum || 0;
    this.velocity = null;
  }
  SGD.prototype.step = function (params, grads) {
    var eta = this.learningRate, beta = this.momentum, k, i;
    if (!beta) {
      for (k = 0; k < params.length; k++) {
        for (i = 0; i < params[k].length; i++) params[k][i] -= eta * grads[k][i];
      }
      return;
    }
    if (!this.velocity) this.velocity = params.map(function (p) { return new Float64Array(p.length); });
    for (k = 0; k < params.length; k++) {
      var theta = params[k], g = grads[k], v = this.velocity[k];
      for (i = 0; i < theta.length; i++) {
        v[i] *= beta;
        v[i] -= eta * g[i];
        theta[i] += v[i];
      }
    }
  };

  /* Adam (Kingma & Ba 2015): m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2,
     theta <- theta - eta_t m / (sqrt(v) + eps) with eta_t = eta sqrt(1 - b2^t) / (1 - b1^t),
     the bias corrections folded into the step size as mlp.optimizers.Adam does. */
  function Adam(learningRate, beta1, beta2, eps) {
    this.kind = "adam";
    this.learningRate = learningRate;
    this.beta1 = beta1 === undefined ? 0.9 : beta1;
    this.beta2 = beta2 === undefined ? 0.999 : beta2;
    this.eps = eps === undefined ? 1e-8 : eps;
    this.m = this.v = null;
    this.t = 0;
  }
  Adam.prototype.step = function (params, grads) {
    if (!this.m) {
      this.m = params.map(function (p) { return new Float64Array(p.length); });
      this.v = params.map(function (p) { return new Float64Array(p.length); });
    }
    this.t += 1;
    var b1 = this.beta1, b2 = this.beta2, eps = this.eps;
    var etaT = this.learningRate * Math.sqrt(1 - Math.pow(b2, this.t)) / (1 - Math.pow(b1, this.t));
    for (var k = 0; k < params.length; k++) {
      var theta = params[k], g = grads[k], m = this.m[k], v = this.v[k];
      for (var i = 0; i < theta.length; i++) {
        m[i] = m[i] * b1 + (1 - b1) * g[i];
        v[i] = v[i] * b2 + (1 - b2) * (g[i] * g[i]);
        theta[i] -= etaT * m[i] / (Math.sqrt(v[i]) + eps);
      }
    }
  };

  /* "sgd", "momentum" (beta = 0.9, mlp.optimizers.Momentum) or "adam"; default rates as mlp's. */
  function makeOptimizer(name, lr, momentum) {
    if (name === "sgd") return new SGD(lr === undefined ? 0.1 : Number(lr), 0);
    if (name === "momentum") {
      return new SGD(lr === undefined ? 0.1 : Number(lr), momentum === undefined ? 0.9 : Number(momentum));
    }
    if (name === "adam") return new Adam(lr === undefined ? 1e-3 : Number(lr));
    throw new Error("unknown optimizer " + JSON.stringify(name) + "; expected sgd, momentum or adam");
  }

  // ---- training: chapters 5, 7 and 10, mlp/training.py --------------------------------------
  /* Training produced a NaN or infinite loss: almost always, the learning rate is too large. */
  function DivergenceError(message) {
    this.name = "DivergenceError";
    this.message = message;
  }
  DivergenceError.prototype = Object.create(Error.prototype);
  DivergenceError.prototype.constructor = DivergenceError;

  function divergenceMessage(value, epoch, step, eta) {  // training._divergence_message
    return "training diverged: the loss became " + value + " at epoch " + epoch + ", step " + step +
           ". The learning rate (" + fmt(eta) + ") is probably too large for this network and loss; try " +
           fmt(eta / 10) + ", or check the inputs are scaled to ~[0, 1].";
  }
  function fmt(x) { return String(Number(x.toPrecision(6))); }

  /* One batch (the body of training._run_epoch's loop): forward, loss, stop if it is not
     finite, backward, update. */
  function trainStep(net, Xb, Yb, opt, l2, epoch, step) {
    var a = net.forwardMatrix(Xb), loss = net.lossValue(Yb, l2);
    if (!isFinite(loss)) throw new DivergenceError(divergenceMessage(loss, epoch, step, opt.learningRate));
    var grads = net.backward(Yb, l2), flat = [];
    grads.forEach(function (g) { flat.push(g.dW.data, g.db); });
    opt.step(net.params(), flat);
    return { loss: loss, correct: countCorrect(a, Yb) };
  }

  function takeRows(M, order, start, end) {  // X.take(rows, axis=0)
    var out = new Matrix(end - start, M.cols);
    for (var r = start; r < end; r++) {
      out.data.set(M.data.subarray(order[r] * M.cols, (order[r] + 1) * M.cols), (r - start) * M.cols);
    }
    return out;
  }

  /* Mini-batch gradient descent that can be run a few batches at a time, so a page can train
     between animation frames and a worker can listen for Stop: the loop of training.fit cut
     into steps. options: {optimizer, lr, momentum, l2, batch_size, shuffle (default true),
     seed}. Each epoch shuffles the rows (unless shuffle is false), cuts them into batches and
     records the running mean loss and accuracy of its batches, as fit's History does. */
  function Trainer(net, X, Y, options) {
    var o = options || {};
    this.net = net;
    this.X = net.asInputs(X);
    this.Y = net.asTargets(Y, this.X.rows);
    this.opt = makeOptimizer(o.optimizer || "sgd", o.lr, o.momentum);
    this.l2 = o.l2 || 0;
    this.batchSize = o.batch_size || 32;
    check(Number.isInteger(this.batchSize) && this.batchSize >= 1,
          "batch_size must be a whole number >= 1, got " + o.batch_size);
    this.shuffle = o.shuffle !== false;
    this.rng = new Random(o.seed === undefined ? 0 : o.seed);
    this.epoch = 0;
    this.history = { epoch: [], loss: [], accuracy: [] };
    this.startEpoch();
  }

  Trainer.prototype.startEpoch = function () {
    var n = this.X.rows;
    this.order = this.shuffle ? this.rng.permutation(n)
                              : Int32Array.from({ length: n }, function (_, i) { return i; });
    this.position = 0;
    this.stepInEpoch = 0;
    this.totalLoss = 0;
    this.correct = 0;
    this.epoch += 1;
  };

  /* One batch; returns the finished epoch's {epoch, loss, accuracy} when this batch ended one,
     else null. Throws DivergenceError on a non-finite loss. */
  Trainer.prototype.step = function () {
    var n = this.X.rows, end = Math.min(this.position + this.batchSize, n);
    var Xb = takeRows(this.X, this.order, this.position, end);
    var Yb = takeRows(this.Y, this.order, this.position, end);
    var r = trainStep(this.net, Xb, Yb, this.opt, this.l2, this.epoch, this.stepInEpoch);
    this.totalLoss += r.loss * (end - this.position);
    this.correct += r.correct;
    this.position = end;
    this.stepInEpoch += 1;
    if (end < n) return null;
    var logs = { epoch: this.epoch, loss: this.totalLoss / n, accuracy: this.correct / n };
    this.history.epoch.push(logs.epoch);
    this.history.loss.push(logs.loss);
    this.history.accuracy.push(logs.accuracy);
    this.startEpoch();
    return logs;
  };

  /* Batches until `ms` milliseconds have passed or `maxEpochs` epochs are done; returns the
     epochs finished meanwhile. */
  Trainer.prototype.runFor = function (ms, maxEpochs) {
    var start = now(), done = [];
    while (now() - start < ms && (maxEpochs === undefined || this.history.epoch.length < maxEpochs)) {
      var logs = this.step();
      if (logs) done.push(logs);
    }
    return done;
  };

  function now() { return (global.performance || Date).now(); }

  /* Train net in place for options.epochs epochs; returns the history (training.fit). */
  function fit(net, X, Y, options) {
    var o = options || {}, trainer = new Trainer(net, X, Y, o), epochs = o.epochs || 1;
    while (trainer.history.epoch.length < epochs) trainer.step();
    return trainer.history;
  }

  // ---- files: mlp.book.web's JSON format (mlp/book/web.py) --------------------------------------------
  function halfToFloat(bits) {
    var sign = bits & 0x8000 ? -1 : 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
    if (exponent === 0) return sign * Math.pow(2, -14) * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
  }

  var WIDTHS = { float64: 8, float32: 4, float16: 2 };

  /* base64 of n little-endian float64/32/16 -> Float64Array (mlp.book.web.decode). */
  function decode(text, dtype, n) {
    if (!WIDTHS[dtype]) throw new Error("unknown dtype " + JSON.stringify(dtype));
    var bytes = atob(text), view = new DataView(new ArrayBuffer(bytes.length)), out = new Float64Array(n);
    check(bytes.length === n * WIDTHS[dtype],
          "expected " + n + " " + dtype + " numbers, found " + bytes.length / WIDTHS[dtype]);
    for (var i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
    for (i = 0; i < n; i++) {
      out[i] = dtype === "float64" ? view.getFloat64(8 * i, true) :
               dtype === "float32" ? view.getFloat32(4 * i, true) : halfToFloat(view.getUint16(2 * i, true));
    }
    return out;
  }

  function encode(values) {  // float64 little-endian, base64 (mlp.book.web.encode with dtype float64)
    var view = new DataView(new ArrayBuffer(8 * values.length)), text = "";
    for (var i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i], true);
    var bytes = new Uint8Array(view.buffer);
    for (i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  /* A network from mlp.book.web's JSON (mlp.book.web.from_dict). The loss is read from the file; files
     written before it was recorded get mlp.book.web's old rule (softmax: log-likelihood, else MSE). */
  function fromJSON(obj) {
    check(obj && obj.format === "mlp-book-web" && obj.version === 1, "not an mlp-book-web model (version 1)");
    var sizes = obj.sizes;
    checkSizes(sizes);
    check(Array.isArray(obj.layers) && obj.layers.length === sizes.length - 1,
          "the file must hold one layer per pair of sizes");
    var acts = obj.activations, last = acts[acts.length - 1];
    var loss = obj.loss || ((last.name || last) === "softmax" ? "cross_entropy" : "mse");
    var layers = obj.layers.map(function (layer, l) {
      return { W: new Matrix(sizes[l], sizes[l + 1], decode(layer.W, obj.dtype, sizes[l] * sizes[l + 1])),
               b: decode(layer.b, obj.dtype, sizes[l + 1]) };
    });
    return new Network(sizes, acts, loss, { layers: layers });
  }

  /* The network in mlp.book.web's JSON format, float64 (mlp.book.web.to_dict), which
     mlp.book.web.from_dict reads. */
  Network.prototype.toJSON = function () {
    return { format: "mlp-book-web", version: 1, sizes: this.sizes.slice(), dtype: "float64",
             activations: this.layers.map(function (l) { return l.activation.config(); }),
             loss: this.lossFn.name === "categorical_cross_entropy" ? "cross_entropy" : this.lossFn.name,
             layers: this.layers.map(function (l) { return { W: encode(l.W.data), b: encode(l.b) }; }) };
  };

  global.mlpjs = {
    Matrix: Matrix, fromRows: fromRows, toRows: toRows, matmul: matmul,
    getActivation: getActivation, ACTIVATIONS: Object.keys(ACTIVATIONS), getLoss: getLoss,
    Random: Random, scaledNormal: scaledNormal, heNormal: heNormal, Dense: Dense, Network: Network,
    SGD: SGD, Adam: Adam, makeOptimizer: makeOptimizer, Trainer: Trainer, fit: fit,
    DivergenceError: DivergenceError, decode: decode, encode: encode, fromJSON: fromJSON,
    argmaxRow: argmaxRow
  };
})(typeof self !== "undefined" ? self : this);
