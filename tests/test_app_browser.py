"""The app in a real browser: Debian's chromium (Playwright) against `streamlit run` on 127.0.0.1.

Opens the explorer, clicks a node and lands on its profile; records every
request any frame makes and fails on one that leaves 127.0.0.1; loads an
article full of HTML/JS/Markdown payloads and checks nothing ran (no dialog,
no ``window.__xss``, no injected element, no link to the payloads' targets).
Screenshots of every page go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import html
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1"}
CATALOG = """type,name,name_zh,aliases,wikidata,market,maker
Vendor,CoreOS,,CoreOS Inc.,,containers,
Vendor,Docker Inc.,Docker 公司,Docker,,containers,
Vendor,Google,谷歌,,Q95,cloud,
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"),
]


def _load_synth():
    spec = importlib.util.spec_from_file_location("ecokg_bench_synth_browser", ROOT / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a free 127.0.0.1 port against a synthetic store with the hostile article."""
    tmp = tmp_path_factory.mktemp("browser")
    store = tmp / "store"
    g = synth.write_store(store, entities=80, facts=240, seed=11)
    hub = next(e for e in g.entities if e.type == "Vendor")
    evil = synth.write_hostile(store, partner=hub)
    zh = next(e for e in g.entities if "zh" in e.labels)
    catalog = tmp / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    port = _free_port()
    env = dict(os.environ, ECOKG_STORE=str(store), ECOKG_CATALOG=str(catalog))
    log = open(tmp / "streamlit.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
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
                raise RuntimeError("streamlit did not start: " + (tmp / "streamlit.log").read_text(errors="replace"))
            time.sleep(0.3)
        yield {"base": base, "hub": hub, "evil": evil, "zh": zh}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser_session(server):
    from playwright.sync_api import sync_playwright

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        record = {"requests": [], "dialogs": []}
        context.on("request", lambda req: record["requests"].append(req.url))

        def on_page(page):
            page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))

        context.on("page", on_page)
        page = context.new_page()
        yield page, record
        context.close()
        browser.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Until Streamlit has finished running the page script."""
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return a && a.dataset.testScriptState === 'notRunning'; }",
        timeout=timeout,
    )
    page.wait_for_timeout(300)


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def explorer_frame(page):
    page.wait_for_selector("iframe", timeout=60_000)
    for _ in range(200):
        for frame in page.frames:
            if frame != page.main_frame and frame.evaluate("() => typeof window.ecoNetwork !== 'undefined'"):
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("the explorer's network frame never loaded")


def wait_for_labels(page, check, timeout_s: float = 60.0) -> list[str]:
    """Node labels of the (re-)drawn network once `check(labels)` holds: a rerun replaces the frame."""
    deadline = time.time() + timeout_s
    last: list[str] = []
    while time.time() < deadline:
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if not frame.evaluate("() => window.ecoReady === true"):
                    continue
                last = frame.evaluate("() => window.ecoNetwork.body.data.nodes.get().map(n => n.label)")
            except Exception:  # noqa: BLE001 - a frame being replaced mid-poll
                continue
            if check(last):
                return last
        page.wait_for_timeout(200)
    raise AssertionError(f"network labels never matched; last seen {last[:5]}")


def no_script_ran(page, record) -> None:
    assert not record["dialogs"], f"a dialog fired: {record['dialogs']}"
    for frame in page.frames:
        state = frame.evaluate(
            """() => ({xss: typeof window.__xss !== 'undefined' ? window.__xss : null,
                       injected: document.querySelectorAll('#xss-injected').length,
                       evil: Array.from(document.querySelectorAll('a[href], iframe[src]'))
                               .map(e => e.getAttribute('href') || e.getAttribute('src'))
                               .filter(h => /evil\\.example|^\\s*javascript:/i.test(h)),
                       where: Array.from(document.querySelectorAll('a[href*="evil"]')).map(e => e.parentElement.outerHTML.slice(0, 600))})"""
        )
        where = state.pop("where")
        assert state == {"xss": None, "injected": 0, "evil": []}, (frame.url, state, where)


def test_explorer_click_opens_profile_and_nothing_leaves_localhost(server, browser_session):
    page, record = browser_session
    base = server["base"]

    page.goto(base + "/")
    wait_idle(page)
    page.get_by_text("Ecosystem overview").wait_for()
    shot(page, "01-overview")

    page.goto(base + "/explorer")
    wait_idle(page)
    frame = explorer_frame(page)
    frame.wait_for_function("window.ecoReady === true", timeout=60_000)
    target = frame.evaluate(
        """() => { const n = window.ecoNetwork; const ids = n.body.data.nodes.getIds();
                   const id = ids[0]; const p = n.getPositions([id])[id]; const d = n.canvasToDOM(p);
                   const r = document.getElementById('net').getBoundingClientRect();
                   return {id: id, label: n.body.data.nodes.get(id).label, x: d.x + r.left, y: d.y + r.top}; }"""
    )
    assert frame.evaluate("() => window.ecoNetwork.physics.options.enabled") is False  # off once laid out
    shot(page, "02-explorer")
    box = page.locator("iframe").first.bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_url("**/profile?entity=*", timeout=20_000)
    wait_idle(page)
    assert page.url.endswith("/profile?entity=" + quote(target["id"], safe=""))
    page.get_by_role("heading", name=target["label"], exact=True).first.wait_for(timeout=20_000)
    assert page.locator("h1").first.inner_text() == target["label"]
    page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the other open groups draw alongside the first
    closed = [e for e in page.locator('[data-testid="stExpander"]').all()
              if e.locator('[data-testid="stDataFrame"]').count() == 0]
    if closed:  # groups of a big profile load when opened
        closed[0].locator("summary").click()
        wait_idle(page)
        closed[0].locator('[data-testid="stDataFrame"]').first.wait_for(timeout=20_000)
    shot(page, "03-profile")

    for name in ("centrality", "matrix", "sparql", "ingest"):
        page.goto(f"{base}/{name}")
        wait_idle(page, timeout=120_000)
        shot(page, f"04-{name}")

    hosts = {urlsplit(u).hostname for u in record["requests"] if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    others = sorted(u for u in record["requests"] if urlsplit(u).scheme not in ("http", "https", "ws", "wss", "data", "blob", "about"))
    assert hosts <= LOCAL_HOSTS, f"requests left 127.0.0.1: {sorted(hosts - LOCAL_HOSTS)}"
    assert not others, others
    no_script_ran(page, record)


def test_hostile_article_runs_nothing(server, browser_session, tmp_path_factory):
    page, record = browser_session
    base = server["base"]
    evil_iri = "https://w3id.org/ecokg/entity/" + server["evil"].id
    page.goto(f"{base}/profile?entity={quote(evil_iri, safe='')}")
    wait_idle(page)
    page.get_by_text("Corp").first.wait_for()
    expanders = page.locator('[data-testid="stExpander"]')
    expanders.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=30_000)
    assert expanders.count() == 2  # develops and competesWith, open: small profiles show everything
    assert expanders.locator('[data-testid="stDataFrame"]').count() == 2
    shot(page, "05-hostile-profile")
    assert "<img src=x" in page.locator("h1").first.inner_text()  # shown as text
    no_script_ran(page, record)

    page.goto(f"{base}/explorer")
    wait_idle(page)
    page.locator('[data-testid="stSidebar"] input[aria-label="Search names"]').fill("Evil")
    page.keyboard.press("Enter")
    wait_idle(page)
    wait_for_labels(page, lambda labels: synth.HOSTILE_NAME in labels)
    shot(page, "06-hostile-explorer")
    no_script_ran(page, record)

    page.goto(f"{base}/ingest")
    wait_idle(page)
    page.locator('textarea[aria-label="Article text"]').fill(
        "CoreOS partnered with Google. " + synth.HOSTILE_EVIDENCE + " " + synth.HOSTILE_TITLE
    )
    page.keyboard.press("Control+Enter")
    page.get_by_role("tab", name="Upload files").click()
    upload = tmp_path_factory.mktemp("upload") / "hostile.html"
    upload.write_text(
        "<html><head><title>Hostile page</title><script>window.__xss=9</script></head><body><article>"
        "<p>CoreOS partnered with Google on containers, the companies said on Tuesday in a joint statement.</p>"
        f"<p>{html.escape(synth.HOSTILE_EVIDENCE)}</p><img src=x onerror=\"window.__xss=10\"></article></body></html>",
        encoding="utf-8",
    )
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    page.get_by_text("hostile.html").first.wait_for(timeout=20_000)
    page.get_by_role("button", name="Extract").click()
    page.get_by_text("entities ·").nth(1).wait_for(timeout=120_000)
    wait_idle(page)
    assert page.locator('[data-testid="stHtml"] mark').count() >= 2  # displaCy highlights, in both previews
    shot(page, "07-hostile-ingest-preview")
    no_script_ran(page, record)
    hosts = {urlsplit(u).hostname for u in record["requests"] if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= LOCAL_HOSTS, f"requests left 127.0.0.1: {sorted(hosts - LOCAL_HOSTS)}"


def test_chinese_labels_render(server, browser_session):
    page, record = browser_session
    zh = server["zh"]
    iri = "https://w3id.org/ecokg/entity/" + zh.id
    page.goto(f"{server['base']}/profile?entity={quote(iri, safe='')}")
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    wait_idle(page)
    page.get_by_role("heading", name=zh.labels["zh"]).first.wait_for(timeout=30_000)
    shot(page, "08-profile-zh")
    page.goto(f"{server['base']}/explorer")  # a new session: English again until switched
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    wait_idle(page)
    wait_for_labels(page, lambda labels: any(any("\u4e00" <= ch <= "\u9fff" for ch in lab) for lab in labels))
    shot(page, "09-explorer-zh")
    no_script_ran(page, record)
