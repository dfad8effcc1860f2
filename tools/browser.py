"""Headless Chromium for the live widgets' tests, benchmark and site check.

    with serving(folder) as base_url, browser() as driver:
        driver.get(base_url + "/page.html")
        driver.execute_script("return mlpjs.fromJSON(arguments[0]).loss(...)", model)

`serving` serves a folder on 127.0.0.1 (a free port, quietly, remembering failed requests);
`browser` starts Chromium through chromedriver (selenium), headless, offline: no name resolves
but loopback and anything else goes to a dead proxy, so a page that fetched from a CDN would
fail. Real time, not --virtual-time-budget: the widgets train in Web Workers and animation
frames, which virtual time does not wait for.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--proxy-server=127.0.0.1:9"]
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions"]


def find_chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def missing() -> str | None:
    """Why a browser cannot be started here (None if it can)."""
    if find_chromium() is None:
        return "Chromium is not installed (apt-get install chromium chromium-driver)"
    if shutil.which("chromedriver") is None:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements.txt)"
    return None


class _Handler(http.server.SimpleHTTPRequestHandler):
    failures: list

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        self.failures.append((code, self.path))
        super().send_error(code, message, explain)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextlib.contextmanager
def serving(directory: Path, failures: list | None = None):
    """Serve ``directory`` on 127.0.0.1; yields the base URL. Failed requests go to ``failures``."""
    handler = functools.partial(type("H", (_Handler,), {"failures": failures if failures is not None else []}),
                                directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser(width: int = 1280, height: int = 1000, script_timeout: float = 300):
    """A selenium Chrome driver on headless, offline Chromium; quits on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    reason = missing()
    if reason:
        raise RuntimeError(reason)
    options = webdriver.ChromeOptions()
    for arg in FLAGS + OFFLINE + [f"--window-size={width},{height}"]:
        options.add_argument(arg)
    options.binary_location = find_chromium()
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
    driver.set_script_timeout(script_timeout)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver) -> list[str]:
    """Uncaught errors and failed loads the page's console reported since the last call."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]
