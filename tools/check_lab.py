#!/usr/bin/env python3
"""Check the chapters in a live JupyterLab, driven by headless Chromium: what readers do.

    python tools/check_lab.py                        # every chapter, two at a time
    python tools/check_lab.py --workers 1            # one at a time
    python tools/check_lab.py chapters/11_playground.ipynb chapters/12_draw_a_digit.ipynb

nbval runs the notebooks without a front end and the online book shows stored widgets; neither
exercises a widget talking to a live kernel. This script does. It copies the chapters into a
temporary folder (the repository's notebooks are never opened, let alone saved), starts
JupyterLab there on 127.0.0.1 (random port and token, autosave off, no news or update checks),
and, in headless Chromium driven through chromedriver, for each notebook:

* opens it, runs all cells (Run > Run All Cells) and waits for the last one;
* checks that no cell raised (no error output in the notebook model) and that every widget view
  rendered (no "Error displaying widget", nothing left "Loading widget...");
* chapter 11: sets the training panel to many epochs, presses **Train** in the page, waits until
  the kernel re-enables **Stop**, presses it, and asks the kernel how the run ended (stopped
  early, no error);
* chapter 12: draws a vertical stroke on the drawing pad with the mouse and asks the kernel
  what the network read (it must be a 1).

Two notebooks run at a time (--workers), each in a browser of its own, the longest chapters
first; each notebook's kernel is shut down when it is done. Models come from the usual cache
(`$MLP_CACHE_DIR`), so run it after `make test` has trained them, as CI does. Needs Debian's
`chromium` and `chromium-driver` and the `selenium` package.
Exits 1 with the list of failures, 0 if every notebook passes.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from check_site import WIDGET_VIEW, find_chromium  # tools/ is this script's folder

ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT = 600  # seconds for one notebook's Run All

# Lab settings for an unattended run: never write a notebook, never reach the internet.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    # every cell in the DOM: a widget view is counted wherever the notebook is scrolled
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# JavaScript run in the page (selenium's execute_async_script: the last argument is the callback).
WAIT_READY = """
const done = arguments[arguments.length - 1];
const app = window.jupyterapp, nb = app && app.shell.currentWidget;
if (!nb || !nb.sessionContext) { done("not ready"); return; }
nb.context.ready.then(() => nb.sessionContext.ready)
  .then(() => {
    const session = nb.sessionContext.session;
    done(session && session.kernel ? "ok" : "no kernel");
  })
  .catch((e) => done("error: " + e));
"""
RUN_ALL = """
const done = arguments[arguments.length - 1];
window.jupyterapp.commands.execute("notebook:run-all-cells")
  .then((ok) => done(String(ok))).catch((e) => done("error: " + e));
"""
ERRORS = """
const model = window.jupyterapp.shell.currentWidget.content.model, found = [];
for (let i = 0; i < model.cells.length; i++) {
  const cell = model.cells.get(i);
  if (cell.type !== "code") continue;
  const outputs = cell.sharedModel.toJSON().outputs || [];
  for (const o of outputs)
    if (o.output_type === "error") found.push(`cell ${i}: ${o.ename}: ${o.evalue}`.slice(0, 300));
  if (cell.executionCount === null && cell.sharedModel.getSource().trim())
    found.push(`cell ${i}: not executed`);
}
return found;
"""
WIDGET_STATE = """
const text = document.querySelector(".jp-Notebook").innerText;
const views = document.querySelectorAll(".jp-OutputArea-output .jupyter-widgets").length;
return {views, error: text.includes("Error displaying widget"),
        loading: text.includes("Loading widget...")};
"""
KERNEL_PRINT = """
const done = arguments[arguments.length - 1], code = arguments[0];
const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
const future = kernel.requestExecute({code, silent: false, store_history: false});
let text = "";
future.onIOPub = (msg) => {
  if (msg.header.msg_type === "stream") text += msg.content.text;
  if (msg.header.msg_type === "error")
    text += "ERROR " + msg.content.ename + ": " + msg.content.evalue;
};
future.done.then(() => done(text)).catch((e) => done("ERROR " + e));
"""


CLOSE = """  // let the page go without a "leave site?" prompt: nothing is to be saved
const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
if (nb && nb.context) nb.context.model.dirty = false;
"""


KERNEL_ID = """
const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
const kernel = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel;
return kernel ? kernel.id : null;
"""


def shutdown_kernel(port: int, token: str, kernel_id: str) -> None:
    """Stop one notebook's kernel (it must not slow the notebooks after it)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/kernels/{kernel_id}",
                                     headers={"Authorization": f"token {token}"}, method="DELETE")
    urllib.request.urlopen(request, timeout=30).close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root: Path, home: Path, port: int, token: str) -> subprocess.Popen:
    """JupyterLab serving ``root``; its config, data, settings and workspaces live in ``home``."""
    settings = home / "settings"
    for name, values in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    env.pop("MLP_BOOK_BUILD", None)  # a live front end: the pad and the panel are shown for real
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0",
           "--LabApp.extension_manager=readonly", "--allow-root"]
    log = open(home / "lab.log", "w")
    lab = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                           start_new_session=True)
    url = f"http://127.0.0.1:{port}/api/status?token={token}"
    for _ in range(120):
        if lab.poll() is not None:
            raise SystemExit(f"check_lab: JupyterLab exited; see its log:\n"
                             f"{(home / 'lab.log').read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return lab
        except OSError:
            time.sleep(0.5)
    raise SystemExit("check_lab: JupyterLab did not answer within 60 s")


def stop_lab(lab: subprocess.Popen) -> None:
    try:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(lab.pid, signal.SIGKILL)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver_path = shutil.which("chromedriver")
    if not driver_path:
        raise SystemExit("check_lab: no chromedriver found (apt-get install chromium-driver)")
    options.binary_location = find_chromium()
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_script_timeout(RUN_TIMEOUT)
    # Selenium's HTTP client gives up on a command after 120 s by default, before the script
    # timeout: a Run All that takes longer (chapter 10) would fail as a read timeout.
    driver.command_executor._client_config.timeout = RUN_TIMEOUT + 60
    return driver


def wait_for(predicate, timeout, what):
    """Poll ``predicate()`` until it is truthy; its value, or AssertionError naming ``what``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def into_view(driver, element) -> None:
    """Scroll the notebook until ``element`` lies wholly inside the window (the notebook
    renders lazily, so one scrollIntoView may land short while cells above it grow)."""
    inside = ("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.left >= 0 "
              "&& r.bottom <= window.innerHeight && r.right <= window.innerWidth;")

    def scrolled():
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        time.sleep(0.3)
        return driver.execute_script(inside, element)
    wait_for(scrolled, 15, "the element to scroll into view")


def kernel_print(driver, code: str) -> str:
    return driver.execute_async_script(KERNEL_PRINT, code).strip()


def open_and_run(driver, url: str, expects_widgets: bool) -> list[str]:
    driver.get(url)
    wait_for(lambda: driver.execute_script(
        "return !!(window.jupyterapp && document.querySelector('.jp-Notebook'))"), 120,
        "JupyterLab to show the notebook")
    ready = wait_for(lambda: (lambda r: r if r != "not ready" else None)(
        driver.execute_async_script(WAIT_READY)), 120, "the kernel")
    if ready != "ok":
        return [f"kernel not started: {ready}"]
    result = driver.execute_async_script(RUN_ALL)
    problems = [] if result == "true" else [f"Run All Cells ended with {result}"]
    problems += driver.execute_script(ERRORS)
    def settled():
        """Widget views render asynchronously after their cell ends; in the first notebook the
        widget manager itself may still be loading, so neither a view nor "Loading widget..."
        is on the page yet. Wait for the views the stored notebook promises."""
        state = driver.execute_script(WIDGET_STATE)
        return not state["loading"] and (state["views"] or not expects_widgets)

    try:
        wait_for(settled, 60, "widgets to finish loading")
    except AssertionError as e:
        problems.append(str(e))
    state = driver.execute_script(WIDGET_STATE)
    if state["error"]:
        problems.append("a widget failed to render (Error displaying widget)")
    if expects_widgets and not state["views"]:
        problems.append("the stored notebook shows widgets, but none rendered in JupyterLab")
    return problems


def check_training_panel(driver) -> list[str]:
    """Chapter 11: Train and Stop, pressed in the page, reach the kernel's training thread."""
    from selenium.webdriver.common.by import By

    most = kernel_print(driver, 'panel.controls["epochs"].value = panel.controls["epochs"].max; '
                                'print(panel.controls["epochs"].value)')
    if not most.isdigit():
        return [f"training panel: could not set the epochs ({most})"]

    def button(label):  # the panel's row of buttons: Train, Stop, Clear
        return driver.find_element(By.XPATH, "//div[button[normalize-space()='Stop'] and "
                                             "button[normalize-space()='Clear']]"
                                             f"/button[normalize-space()='{label}']")

    into_view(driver, button("Train"))
    button("Train").click()
    wait_for(lambda: button("Stop").is_enabled(), 60, "the kernel to enable Stop after Train")
    time.sleep(1.0)
    button("Stop").click()
    wait_for(lambda: button("Train").is_enabled(), 120, "training to end after Stop")
    said = kernel_print(driver, 'r = panel.runs[-1]; '
                                'print(len(r["history"]["epoch"]), r["error"], r["running"])')
    epochs, error, running = (said.split(" ", 2) + ["?", "?"])[:3]
    stopped_early = epochs.isdigit() and 0 < int(epochs) < int(most)
    if not stopped_early or error != "None" or running != "False":
        return [f"training panel: after Stop the run reports '{said}' "
                f"(expected: fewer than {most} epochs, None, False)"]
    return []


def check_drawing_pad(driver) -> list[str]:
    """Chapter 12: a stroke drawn with the mouse reaches the kernel, which reads it as a 1."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvases = driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output canvas")
    if not canvases:
        return ["drawing pad: no canvas in the page"]
    canvas = canvases[-1]
    into_view(driver, canvas)
    size = canvas.size
    actions = ActionChains(driver, duration=20)
    actions.move_to_element_with_offset(canvas, 0, int(-0.32 * size["height"])).click_and_hold()
    for _ in range(16):
        actions.move_by_offset(0, int(0.04 * size["height"]))
    actions.release().perform()
    said = wait_for(lambda: kernel_print(
        driver, 'o = pad.output.outputs; print(o[0]["data"]["text/plain"] if o and "data" in o[0] '
                'else "nothing yet")').replace("nothing yet", ""), 30,
        "the pad's prediction")
    return [] if said == "prediction: 1" else [f"drawing pad: a drawn 1 gave '{said}'"]


INTERACTIONS = {"11_playground.ipynb": check_training_panel,
                "12_draw_a_digit.ipynb": check_drawing_pad}


def check_notebook(driver, nb: Path, port: int, token: str) -> list[str]:
    """Open, run and check one notebook in ``driver``; the problems found (none: it passes)."""
    url = f"http://127.0.0.1:{port}/lab/workspaces/check-{nb.stem}/tree/chapters/{nb.name}?token={token}"
    try:
        problems = open_and_run(driver, url, WIDGET_VIEW in nb.read_text())
        if not problems and nb.name in INTERACTIONS:
            problems = INTERACTIONS[nb.name](driver)
    except Exception as e:  # a timeout or a browser failure is this notebook's failure
        problems = [f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"]
    try:
        kernel_id = driver.execute_script(KERNEL_ID)
        driver.execute_script(CLOSE)
        if kernel_id:
            shutdown_kernel(port, token, kernel_id)
    except Exception as e:
        problems.append(f"could not shut its kernel down: {type(e).__name__}: {e}")
    return problems


def run_queue(todo: queue.Queue, port: int, token: str, failures: dict, lock: threading.Lock):
    """One worker: a browser of its own, taking notebooks from ``todo`` until it is empty."""
    driver = None
    try:
        driver = browser()
        while True:
            try:
                nb = todo.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            problems = check_notebook(driver, nb, port, token)
            with lock:
                print(f"{nb.name}: {'ok' if not problems else 'FAILED'} "
                      f"({time.perf_counter() - start:.0f} s)", flush=True)
                if problems:
                    failures[nb.name] = problems
    except Exception as e:  # the browser itself failed: every notebook left is a failure
        with lock:
            while not todo.empty():
                failures[todo.get_nowait().name] = [f"browser failed: {type(e).__name__}: {e}"]
    finally:
        if driver is not None:
            driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="chapters to check (default: every chapters/*.ipynb)")
    parser.add_argument("--workers", type=int, default=2,
                        help="notebooks run at a time, each in its own browser (default 2)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "chapters").glob("*.ipynb"))
    todo = queue.Queue()
    for nb in sorted(notebooks, reverse=True):  # the late chapters run longest: they go first
        todo.put(nb)
    failures, lock = {}, threading.Lock()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="check_lab_") as tmp:
        tmp = Path(tmp)
        root, home = tmp / "book", tmp / "home"
        shutil.copytree(ROOT / "chapters", root / "chapters",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
        for extra in ("book", "benchmarks"):  # what chapters read with relative paths
            shutil.copytree(ROOT / extra, root / extra, ignore=shutil.ignore_patterns("_build"))
        port, token = free_port(), secrets.token_hex(16)
        lab = start_lab(root, home, port, token)
        try:
            workers = [threading.Thread(target=run_queue, args=(todo, port, token, failures, lock))
                       for _ in range(min(args.workers, len(notebooks)))]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
        finally:
            stop_lab(lab)
    for name, problems in sorted(failures.items()):
        print(f"\n{name}:", *(f"  - {p}" for p in problems), sep="\n")
    print(f"\ncheck_lab: {len(notebooks) - len(failures)} of {len(notebooks)} notebooks pass "
          f"in {time.perf_counter() - start:.0f} s ({args.workers} at a time)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
