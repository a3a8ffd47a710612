"""What the browser tests share: `streamlit run app.py` on 127.0.0.1 and Debian's chromium through Playwright.

One copy of starting and stopping the app, launching chromium with a log of every request and
dialog, waiting for Streamlit to finish a run, and telling which requests left 127.0.0.1: a new
Streamlit flag or chromium switch is then made once for every browser test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from service_helpers import free_port

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1"}
NETWORK_SCHEMES = ("http", "https", "ws", "wss")
PAGE_SCHEMES = ("data", "blob", "about")  # made by the page itself, no traffic

# A browser test module's `pytestmark`: marked `browser`, skipped where chromium is missing.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"),
]


@contextmanager
def streamlit_app(store: Path, log: Path, startup_s: float = 60.0, **env: str) -> Iterator[str]:
    """`streamlit run app.py` over STORE on a free 127.0.0.1 port; yields its base URL, stops it after.

    ENV adds variables (ECOKG_CATALOG, ECOKG_CURATE, ...). ECOKG_CURATE is dropped unless given, so
    that a developer's shell does not switch the correcting actions on under a test. The app's
    output goes to LOG, which a failed start quotes.
    """
    full = dict(os.environ, ECOKG_STORE=str(store), **env)
    if "ECOKG_CURATE" not in env:
        full.pop("ECOKG_CURATE", None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=full, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + startup_s
            while not _healthy(base):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start: " + log.read_text(errors="replace"))
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Recorded:
    """Every request any frame of the context made, and every dialog that opened (each dismissed)."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def left_localhost(self) -> list[str]:
        """The requests that went anywhere but 127.0.0.1, or by a scheme a page has no business using."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in NETWORK_SCHEMES:
                if parts.hostname not in LOCAL_HOSTS:
                    out.append(url)
            elif parts.scheme not in PAGE_SCHEMES:
                out.append(url)
        return out


@contextmanager
def browser(width: int = 1400, height: int = 1000) -> Iterator[tuple[object, Recorded]]:
    """Headless chromium with one context of WIDTH x HEIGHT; yields (context, what it recorded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": width, "height": height})
        record = Recorded()
        context.on("request", lambda req: record.requests.append(req.url))
        context.on("page", lambda page: page.on(
            "dialog", lambda d: (record.dialogs.append(d.message), d.dismiss())))
        try:
            yield context, record
        finally:
            context.close()
            chromium.close()


def wait_idle(page, timeout: float = 60_000, settle_ms: int = 300) -> None:
    """Until Streamlit has finished running the page script, then SETTLE_MS for the frames to draw."""
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return a && a.dataset.testScriptState === 'notRunning'; }",
        timeout=timeout,
    )
    page.wait_for_timeout(settle_ms)
