"""The correcting actions in a real browser: chromium against `streamlit run` on 127.0.0.1 with
ECOKG_CURATE=1 renames an entity through the profile (confirmation included); without it the
profile has no correcting box. Screenshots go to tests/artifacts/screenshots/."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from curation_helpers import GOOG, build, iri

from kg.curation import actions
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"),
]


@contextmanager
def streamlit(store: Path, log: Path, **env: str):
    from service_helpers import free_port

    port = free_port()
    full = dict(os.environ, ECOKG_STORE=str(store), **env)
    if "ECOKG_CURATE" not in env:
        full.pop("ECOKG_CURATE", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=full, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start: " + log.read_text(errors="replace"))
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1300, "height": 1600})
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        pg = context.new_page()
        yield pg
        assert all(u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")) for u in requests)
        context.close()
        browser.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return a && a.dataset.testScriptState === 'notRunning'; }", timeout=timeout)
    page.wait_for_timeout(400)


def test_rename_through_the_browser_and_absent_when_off(tmp_path, page):
    store = tmp_path / "store"
    with EmbeddedStore(store) as s:
        build(s, tmp_path / "articles")
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = "/profile?entity=" + quote(iri(GOOG), safe="")

    with streamlit(store, tmp_path / "off.log") as base:
        page.goto(base + url)
        wait_idle(page)
        page.get_by_role("heading", name="Google").first.wait_for()
        assert page.get_by_role("heading", name="Correct").count() == 0
        assert page.get_by_label("Why").count() == 0

    with streamlit(store, tmp_path / "on.log", ECOKG_CURATE="1", ECOKG_USER="browser-analyst") as base:
        page.goto(base + url)
        wait_idle(page)
        page.get_by_role("heading", name="Correct").wait_for()
        page.get_by_label("Why").fill("the company's legal name")
        page.get_by_label("Why").press("Enter")
        wait_idle(page)
        page.get_by_label("New name").fill("Google LLC")
        page.get_by_label("New name").press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Rename…").click()
        wait_idle(page)
        page.get_by_text("Confirm: rename Google to Google LLC").wait_for()
        with EmbeddedStore(store, read_only=True) as s:
            assert actions.list_corrections(s) == []  # not before the confirmation
        page.get_by_role("button", name="Confirm").click()
        wait_idle(page)
        page.get_by_role("heading", name="Google LLC").wait_for()
        wait_idle(page)
        page.get_by_text("rename Google to Google LLC · browser-analyst").wait_for()  # in the undo list
        page.screenshot(path=str(SHOTS / "curation-profile.png"), full_page=True)

    with EmbeddedStore(store, read_only=True) as s:
        done = actions.list_corrections(s)
    assert [(c.kind, c.name, c.who, c.why) for c in done] == [
        ("rename", "Google LLC", "browser-analyst", "the company's legal name")]
