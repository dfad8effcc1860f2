/* toy.js: the 2-D data sets of the playground, as mlp.data.toy makes them (chapters 1 and 7).

   Each maker returns {X: [[x1, x2], ...], y: [label, ...]}, shuffled, from a seeded generator
   (mlpjs.Random). The constructions are mlp/data/toy.py's, with another random generator than
   numpy's: the same shapes, other points. `noise` is the standard deviation of Gaussian noise
   on every coordinate (on the angle for the spirals, as in mlp.data.toy.make_spirals). */
(function (global) {
  "use strict";

  var mlpjs = global.mlpjs;

  function classSizes(n, k) {  // toy._class_sizes: as even as possible
    var sizes = [];
    for (var c = 0; c < k; c++) sizes.push(Math.floor(n / k) + (c < n % k ? 1 : 0));
    return sizes;
  }

  function linspace(a, b, n, endpoint) {
    var out = [], d = endpoint === false ? n : n - 1;
    for (var i = 0; i < n; i++) out.push(d > 0 ? a + (b - a) * i / d : a);
    return out;
  }

  /* toy._finish: stack the classes, add noise, shuffle. */
  function finish(parts, noise, rng) {
    var X = [], y = [];
    parts.forEach(function (points, k) {
      points.forEach(function (p) { X.push([p[0] + noise * rng.normal(), p[1] + noise * rng.normal()]); y.push(k); });
    });
    var order = rng.permutation(y.length);
    return { X: Array.from(order, function (i) { return X[i]; }), y: Array.from(order, function (i) { return y[i]; }) };
  }

  /* Two interleaving half circles (mlp.data.toy.make_moons): class 0 the upper arc of the unit
     circle, class 1 the lower arc shifted to (1, 0.5). */
  function moons(n, noise, rng) {
    var s = classSizes(n, 2);
    var upper = linspace(0, Math.PI, s[0]).map(function (t) { return [Math.cos(t), Math.sin(t)]; });
    var lower = linspace(0, Math.PI, s[1]).map(function (t) { return [1 - Math.cos(t), 0.5 - Math.sin(t)]; });
    return finish([upper, lower], noise, rng);
  }

  /* Two concentric circles (mlp.data.toy.make_circles): 0 = outer (radius 1), 1 = inner (0.5). */
  function circles(n, noise, rng) {
    var parts = classSizes(n, 2).map(function (m, k) {
      var radius = k === 0 ? 1 : 0.5;
      return linspace(0, 2 * Math.PI, m, false).map(function (t) { return [radius * Math.cos(t), radius * Math.sin(t)]; });
    });
    return finish(parts, noise, rng);
  }

  /* Two spiral arms winding 1.5 turns around the origin: chapter 7's make_long_spirals (the
     long spiral of mlp.data.toy.make_spirals(turns=1.5), radii drawn at random): point i has label
     i % 2, radius r uniform in [0.05, 1], angle 2 pi 1.5 r + pi label (+ noise on the angle). */
  function spirals(n, noise, rng) {
    var parts = [[], []];
    for (var i = 0; i < n; i++) {
      var k = i % 2, r = 0.05 + 0.95 * rng.uniform(), angle = 2 * Math.PI * 1.5 * r + Math.PI * k + noise * rng.normal();
      parts[k].push([r * Math.cos(angle), r * Math.sin(angle)]);
    }
    return finish(parts, 0, rng);
  }

  /* XOR (chapters 1 and 3) as four clouds: the truth table's corners 00, 01, 10, 11 moved to
     (-1, -1), (-1, 1), (1, -1), (1, 1), labelled x1 XOR x2. */
  function xor(n, noise, rng) {
    var parts = [[], []];
    classSizes(n, 4).forEach(function (m, c) {
      var b1 = c >> 1, b2 = c & 1;
      for (var i = 0; i < m; i++) parts[b1 ^ b2].push([2 * b1 - 1, 2 * b2 - 1]);
    });
    return finish(parts, Math.max(noise, 0), rng);
  }

  /* Three Gaussian blobs centred on a circle of radius 2 (mlp.data.toy.make_blobs); the noise is
     their standard deviation. */
  function blobs(n, noise, rng) {
    var parts = classSizes(n, 3).map(function (m, k) {
      var angle = 2 * Math.PI * k / 3, c = [2 * Math.cos(angle), 2 * Math.sin(angle)], pts = [];
      for (var i = 0; i < m; i++) pts.push(c);
      return pts;
    });
    return finish(parts, noise, rng);
  }

  /* name -> {make, classes, view: [x_min, x_max, y_min, y_max] of the plane shown} */
  var DATASETS = {
    moons: { make: moons, classes: 2, view: [-1.6, 2.6, -1.35, 1.85], label: "moons" },
    circles: { make: circles, classes: 2, view: [-1.6, 1.6, -1.6, 1.6], label: "circles" },
    spirals: { make: spirals, classes: 2, view: [-1.4, 1.4, -1.4, 1.4], label: "spirals" },
    xor: { make: xor, classes: 2, view: [-2.2, 2.2, -2.2, 2.2], label: "XOR" },
    blobs: { make: blobs, classes: 3, view: [-3.6, 3.6, -3.6, 3.6], label: "3 blobs" }
  };

  /* A data set split into training and test points: the first `trainFraction` of the
     shuffled points train, the rest test (as mlp.data.train_validation_split cuts). */
  function makeDataset(name, n, noise, trainFraction, seed) {
    var spec = DATASETS[name];
    if (!spec) throw new Error("unknown data set " + name);
    var d = spec.make(n, noise, new mlpjs.Random(seed)), cut = Math.max(1, Math.min(n - 1, Math.round(n * trainFraction)));
    return { name: name, classes: spec.classes, view: spec.view,
             train: { X: d.X.slice(0, cut), y: d.y.slice(0, cut) },
             test: { X: d.X.slice(cut), y: d.y.slice(cut) } };
  }

  global.mlpToy = { DATASETS: DATASETS, makeDataset: makeDataset, moons: moons, circles: circles,
                    spirals: spirals, xor: xor, blobs: blobs };
})(typeof self !== "undefined" ? self : this);
