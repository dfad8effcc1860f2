#!/usr/bin/env python3
"""Check the built book in a real, offline browser.

    python tools/check_site.py [--html _build/html] [--toc _toc.yml]

Serves the built site on 127.0.0.1 (a random free port), opens every page listed in _toc.yml
in headless Chromium with every other address unreachable (all names resolve to nothing and
a dead proxy takes anything else), lets it run (--virtual-time-budget) and reads the
rendered DOM (--dump-dom). Per page it checks:

* the page exists (every _toc.yml entry was built);
* no error output: no traceback cell output, no "Traceback (most recent call last)", no
  stderr output that reports an error or a warning;
* math rendered: if the page has math, MathJax produced an <mjx-container> per formula and no
  <mjx-merror>;
* widgets rendered: every `application/vnd.jupyter.widget-view+json` script has a rendered
  widget (a .widget-subarea holding a .jupyter-widgets element) right before it;
* solutions hidden: every sphinx-exercise solution is a dropdown;
* every widget that stays a snapshot (a stored ipywidgets view) says so: its cell output holds
  the "Snapshot" note that book/_ext/mlp_live.py writes;
* nothing failed to load: no HTTP error for any file the page requested, no uncaught
  JavaScript error (one known, harmless sphinx-thebe error is ignored).

Then the live widgets (book/live/, the pages book/live/cells.yml and the playground page put
them on) are used as a reader uses them, in headless Chromium driven by chromedriver (real time:
they train in animation frames and a Web Worker): the playgrounds are played and their loss
must fall; chapter 11's MNIST panel trains one epoch on the built site's MNIST subset and its
loss must fall below that of guessing; each explorer must redraw when a control moves; and no
live page may log a JavaScript error. --no-live skips this part.

Exits 1 with a list of the failures, 0 if every page passes.
"""
from __future__ import annotations

import argparse
import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
# Console errors that are known, harmless and not ours. sphinx-thebe 0.3.1 declares its
# config twice (`const THEBE_JS_URL`); it only matters for the live-code button, which is off.
IGNORED_CONSOLE = [re.compile(r"Identifier 'THEBE_JS_URL' has already been declared")]
CONSOLE = re.compile(r'CONSOLE[:(]\d+\)?\] "(?P<msg>.*)", source: (?P<src>\S*)')


# --- a minimal DOM, enough to look at siblings and descendants --------------------------------
@dataclass
class Node:
    tag: str
    attrs: dict
    parent: "Node | None" = None
    children: list = field(default_factory=list)  # Nodes and str
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def all_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.all_text() for c in self.children)

    def previous_element(self) -> "Node | None":
        siblings = [c for c in self.parent.children if isinstance(c, Node)] if self.parent else []
        i = siblings.index(self)
        return siblings[i - 1] if i > 0 else None


class DomBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = DomBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- the checks -----------------------------------------------------------------------------
def check_static(html: str) -> tuple[list[str], int]:
    """Checks on the page as built; returns (problems, number of math elements)."""
    problems = []
    dom = parse(html)
    n_math = 0
    for node in dom.iter():
        classes = node.classes
        if "math" in classes:
            n_math += 1
        if "output" in classes and "traceback" in classes:
            problems.append("error output (traceback) in a cell: " + node.all_text().strip()[-200:])
        if "output" in classes and "stderr" in classes:
            text = node.all_text()
            if re.search(r"Traceback|\w+Error\b|\w+Warning\b", text):
                problems.append("stderr output with an error or warning: " + text.strip()[:200])
        if "solution" in classes and node.tag == "div" and "dropdown" not in classes:
            problems.append(f"solution {node.attrs.get('id', '?')} is not hidden (add :class: dropdown)")
        if node.tag == "script" and node.attrs.get("type") == WIDGET_VIEW and not _has_snapshot_note(node):
            problems.append("a stored widget without its snapshot note (book/_ext/mlp_live.py)")
    if "Traceback (most recent call last)" in html and not any("traceback" in p for p in problems):
        problems.append('"Traceback (most recent call last)" appears in the page')
    return problems, n_math


def _has_snapshot_note(node: Node) -> bool:
    while node is not None and "cell_output" not in node.classes:
        node = node.parent
    return node is not None and any("mlp-snapshot-note" in n.classes for n in node.iter())


def check_rendered(dom_html: str, n_math: int) -> list[str]:
    """Checks on the DOM after the browser ran the page's scripts."""
    problems = []
    dom = parse(dom_html)
    n_rendered = sum(1 for n in dom.iter() if n.tag == "mjx-container")
    if n_math and n_rendered < n_math:
        problems.append(f"math not rendered: {n_rendered} MathJax outputs for {n_math} formulas")
    if any(n.tag == "mjx-merror" for n in dom.iter()):
        problems.append("MathJax reports a TeX error (mjx-merror)")
    for script in (n for n in dom.iter() if n.tag == "script" and n.attrs.get("type") == WIDGET_VIEW):
        model = re.search(r'"model_id":\s*"([^"]+)"', script.all_text())
        label = model.group(1)[:8] if model else "?"
        prev = script.previous_element()
        rendered = prev is not None and "widget-subarea" in prev.classes and any(
            "jupyter-widgets" in n.classes for n in prev.iter())
        if not rendered:
            problems.append(f"widget {label}… not rendered")
    return problems


def check_console(log: str) -> list[str]:
    problems = []
    for m in CONSOLE.finditer(log):
        msg = m.group("msg")
        if ("Uncaught" in msg or "Failed to load" in msg) and not any(p.search(msg) for p in IGNORED_CONSOLE):
            problems.append(f"JavaScript error: {msg[:200]} ({m.group('src')})")
    return problems


# --- serving and browsing -------------------------------------------------------------------
class Handler(http.server.SimpleHTTPRequestHandler):
    failures: list  # set per server

    def log_message(self, fmt, *args):  # quiet, but remember failed requests
        pass

    def send_error(self, code, message=None, explain=None):
        self.failures.append((code, self.path))
        super().send_error(code, message, explain)


def serve(directory: Path):
    failures: list = []
    handler = functools.partial(type("H", (Handler,), {"failures": failures}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, failures


def find_chromium() -> str:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise SystemExit("check_site: no chromium found (apt-get install chromium, or set CHROMIUM)")


def dump_dom(chromium: str, url: str, budget_ms: int) -> tuple[str, str]:
    """Load url in an offline headless Chromium; return (rendered DOM, browser log)."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={profile}",
               # offline: no name resolves except loopback, anything else goes to a dead proxy
               "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
               "--proxy-server=127.0.0.1:9",
               "--enable-logging=stderr", "--v=0",
               f"--virtual-time-budget={budget_ms}", "--dump-dom", url]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"chromium exited {proc.returncode}: {proc.stderr[-500:]}")
    return proc.stdout, proc.stderr


def toc_files(toc: Path) -> list[str]:
    """The documents listed in _toc.yml (root first), without extension."""
    files = []
    for line in toc.read_text().splitlines():
        m = re.match(r"\s*(?:-\s*)?(root|file):\s*(\S+)\s*$", line.split("#", 1)[0])
        if m:
            files.append(re.sub(r"\.(ipynb|md)$", "", m.group(2)))
    return files


def check_page(doc: str, html_dir: Path, base_url: str, chromium: str, budget_ms: int) -> list[str]:
    page = html_dir / f"{doc}.html"
    if not page.is_file():
        return [f"page missing: {page.relative_to(html_dir)} (listed in _toc.yml)"]
    text = page.read_text(encoding="utf-8")
    problems, n_math = check_static(text)
    dom, log = dump_dom(chromium, f"{base_url}/{doc}.html", budget_ms)
    problems += check_rendered(dom, n_math) + check_console(log)
    if 'id="draw-digit"' in text:
        problems += check_draw_pad(doc, html_dir, base_url, chromium, budget_ms)
    return problems


# A page of the built site that holds the chapter in a same-origin frame, draws a "1" on its
# drawing pad through the pad's API (book/draw/draw.js) and writes the prediction it shows.
DRAW_CHECK = """<!DOCTYPE html><html><body><pre id="result">pending</pre>
<iframe id="page" src="%s.html" style="width:1200px;height:4000px"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {
  var out = document.getElementById("result"), w = this.contentWindow;
  if (!w.drawDigit) { out.textContent = "no drawDigit: draw.js did not load"; return; }
  w.drawDigit.ready.then(function (pads) {
    var r = pads[0].strokeFrom([[150, 40], [147, 140], [143, 245]]);
    out.textContent = "predicted " + r.digit + " shown " + pads[0].prediction.textContent;
  }).catch(function (e) { out.textContent = "error " + e; });
});
</script></body></html>"""


def check_draw_pad(doc: str, html_dir: Path, base_url: str, chromium: str, budget_ms: int) -> list[str]:
    """The built page's drawing pad loads its model and reads a drawn 1 as a 1 (chapter 12)."""
    check = html_dir / f"_check_draw_{Path(doc).name}.html"
    check.write_text(DRAW_CHECK % doc, encoding="utf-8")
    try:
        dom, _ = dump_dom(chromium, f"{base_url}/{check.name}", budget_ms)
    finally:
        check.unlink()
    result = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    said = html.unescape(result.group(1)) if result else "no result"
    return [] if said.startswith("predicted 1 ") else [f"drawing pad: a drawn 1 gave '{said}'"]


# --- the live widgets, used as a reader uses them ---------------------------------------------
# Run in the page (selenium's execute_async_script): per widget, do what a reader does and
# report what happened. A playground plays for a few seconds; the MNIST panel trains one epoch;
# an explorer moves a control and must redraw its figure.
LIVE_CHECK = """
var done = arguments[arguments.length - 1];
function pixels(root) { return Array.from(root.querySelectorAll('canvas')).map(function (c) { return c.toDataURL(); }).join(); }
mlpLive.ready.then(function (widgets) {
  var roots = Array.from(document.querySelectorAll('.mlp-live')), results = [];
  function next(i) {
    if (i >= roots.length) { done(results); return; }
    var root = roots[i], w = root.mlpLive, r = {name: root.getAttribute('data-live')};
    results.push(r);
    if (!w) { r.problem = 'did not start: ' + root.textContent.slice(0, 200); next(i + 1); return; }
    if (r.name === 'playground') {
      var first = w.history().train[0];
      root.querySelector('.ml-play').click();
      var t0 = Date.now(), iv = setInterval(function () {
        var h = w.history();
        if (h.epoch.length > 25 || Date.now() - t0 > 10000) {
          clearInterval(iv); w.pause();
          r.epochs = h.epoch[h.epoch.length - 1]; r.first = first; r.last = h.train[h.train.length - 1];
          if (!(r.epochs > 0 && r.last < 0.95 * first)) r.problem = 'playing did not lower the loss (' + first + ' -> ' + r.last + ' in ' + r.epochs + ' epochs)';
          next(i + 1);
        }
      }, 100);
    } else if (r.name === 'mnist') {
      w.set('epochs', 1);
      Array.from(root.querySelectorAll('button')).filter(function (b) { return /Train/.test(b.textContent); })[0].click();
      var t1 = Date.now(), iv2 = setInterval(function () {
        if (!w.running() || Date.now() - t1 > 120000) {
          clearInterval(iv2);
          var run = w.runs[w.runs.length - 1];
          r.status = w.status(); r.loss = run && run.history.loss;
          if (!(r.loss && r.loss.length === 1 && r.loss[0] < Math.log(10))) r.problem = 'Train did not lower the loss: ' + r.status;
          next(i + 1);
        }
      }, 200);
    } else {
      var before = pixels(root), key = Object.keys(w.state()).filter(function (k) { return typeof w.state()[k] === 'number'; })[0];
      w.set(key, w.state()[key] * 0.5 + 0.3);
      if (pixels(root) === before) r.problem = 'moving ' + key + ' did not redraw the figure';
      next(i + 1);
    }
  }
  next(0);
}).catch(function (e) { done([{name: '?', problem: String(e)}]); });
"""


def check_live(docs: list[str], html_dir: Path, base_url: str) -> dict[str, list[str]]:
    """Use every live widget of the built pages; {doc: problems} for the pages that have one."""
    import browser  # tools/browser.py: selenium-driven headless Chromium

    pages = [d for d in docs if 'class="mlp-live"' in _read(html_dir / f"{d}.html")]
    if not pages:
        return {}
    reason = browser.missing()
    if reason:
        return {pages[0]: [f"cannot check the live widgets: {reason}"]}
    results = {}
    with browser.browser() as driver:
        driver.set_script_timeout(240)
        for doc in pages:
            driver.get(f"{base_url}/{doc}.html")
            found = driver.execute_async_script(LIVE_CHECK)
            problems = [f"live widget {r['name']}: {r['problem']}" for r in found if r.get("problem")]
            problems += [f"live page JavaScript error: {e[:200]}" for e in browser.console_errors(driver)
                         if re.search(r"Uncaught|Failed to load|/_static/live/", e)
                         and not any(p.search(e) for p in IGNORED_CONSOLE)]
            names = ", ".join(r["name"] for r in found)
            print(f"{'FAIL' if problems else 'ok  '} {doc} (live: {names})")
            results[doc] = problems
    return results


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the built book in an offline headless browser.")
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--budget-ms", type=int, default=15000, help="virtual time per page")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-live", action="store_true", help="skip using the live widgets")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"check_site: no built book in {args.html} (build it first)", file=sys.stderr)
        return 1
    chromium = find_chromium()
    docs = toc_files(args.toc)
    server, http_failures = serve(args.html)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    start = time.perf_counter()
    try:
        with ThreadPoolExecutor(args.jobs) as pool:
            results = dict(zip(docs, pool.map(
                lambda d: check_page(d, args.html, base_url, chromium, args.budget_ms), docs)))
        for doc, probs in results.items():
            print(f"{'FAIL' if probs else 'ok  '} {doc}")
        live = {} if args.no_live else check_live(docs, args.html, base_url)
    finally:
        server.shutdown()
    for doc, probs in live.items():
        results[doc] = results.get(doc, []) + probs
    failed = {doc: probs for doc, probs in results.items() if probs}
    for code, path in sorted(set(http_failures)):
        if not path.endswith("favicon.ico"):
            failed.setdefault("(http)", []).append(f"HTTP {code} for {path}")
    print(f"check_site: {len(docs)} pages ({len(live)} with live widgets) in "
          f"{time.perf_counter() - start:.1f} s")
    if failed:
        print("\nFailures:", file=sys.stderr)
        for doc, probs in failed.items():
            for p in probs:
                print(f"  {doc}: {p}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
