/* Set-up for the ipywidgets HTML manager (embed-amd.js), loaded after require.js and before
   the manager on pages with widgets (_config.yml: nb_ipywidgets_js).

   1. Fonts. The bundled modules find their Font Awesome files relative to their own AMD
      module URL ("@jupyter-widgets/controls", "@jupyter-widgets/html-manager/dist/libembed-amd",
      ...), which requirejs would place next to the page (chapters/@jupyter-widgets/...: 404).
      Map them all to the folder the files are really in: ./widgets/ beside this script.
   2. MathJax. The manager typesets widget labels with MathJax 2's API
      (MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])); the book loads MathJax 3, which
      has no Hub: without this shim a label throws "Cannot read properties of undefined
      (reading 'Queue')" and LaTeX in labels stays raw. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (here && window.require && window.require.config) {
    var dist = new URL("widgets/", here).href.replace(/\/$/, "");
    window.require.config({ paths: {
      "@jupyter-widgets": dist,                    // base, controls, output, html-manager
      "@jupyter-widgets/html-manager/dist": dist,  // libembed-amd
    } });
  }

  function typeset(element) {
    var mj = window.MathJax;
    if (!mj || !mj.startup || !mj.startup.promise || !mj.typesetPromise) return;
    mj.startup.promise
      .then(function () { return mj.typesetPromise(element ? [element] : undefined); })
      .catch(function (err) { console.warn("mlp-book: MathJax could not typeset a widget label", err); });
  }
  function install() {
    var mj = window.MathJax;
    if (mj && mj.version && !mj.Hub) {
      mj.Hub = { Queue: function (command) { typeset(command && command[2]); } };
    }
  }
  // MathJax is loaded with `defer`, so it has replaced window.MathJax by DOMContentLoaded;
  // the widget manager renders on `load`, which comes later.
  document.addEventListener("DOMContentLoaded", install);
  window.addEventListener("load", install);
})();
