"""Screenshots of every app page on the default corpus, in English and with Chinese labels.

Ingests corpus/ into a temporary store, starts the app on 127.0.0.1 (a free
port), opens each page in headless Chromium (Debian's /usr/bin/chromium through
Playwright) and writes docs/screenshots/NN-page[-zh].png, palette-reduced to keep
them small. Nothing is fetched from anywhere but 127.0.0.1; the script fails if a
page makes such a request.

    .venv/bin/python docs/screenshots.py            # rewrites docs/screenshots/
    .venv/bin/python docs/screenshots.py --out /tmp/shots --width 1280
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
PROFILE_ENTITY = "https://w3id.org/ecokg/entity/vendor-docker-inc"
# (file name, URL path, heading to wait for, frame global to wait for, also in Chinese)
SHOTS = (
    ("01-overview", "overview", "Ecosystem overview", "", False),
    ("02-explorer", "explorer", "Graph explorer", "ecoReady", True),
    ("03-centrality", "centrality", "Centrality and communities", "", False),
    ("04-profile", "profile?entity=" + quote(PROFILE_ENTITY, safe=""), "", "", True),
    ("05-matrix", "matrix", "Competition matrix", "", False),
    ("06-sparql", "sparql", "SPARQL", "ecoEditor", False),
    ("07-ingest", "ingest", "Ingest articles", "", False),
    ("08-changes", "changes", "What changed", "", False),
    ("09-corrections", "corrections", "Corrections", "", False),
)
SHOWN = """(a) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid^="stStatusWidgetRunning"]')) return false;
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  if (!h1 || (a.heading && !h1.innerText.includes(a.heading))) return false;
  if (!a.frame) return true;
  return Array.from(document.querySelectorAll('iframe')).some(f => {
    try { return !!(f.contentWindow && f.contentWindow[a.frame]); } catch (e) { return false; } });
}"""


def ingest_corpus(store: Path, corpus: Path = ROOT / "corpus") -> int:
    """The default corpus into a fresh store, as `make run` does; returns the number of articles written."""
    from ingest.ingestion import ingest_paths
    from kg.store import EmbeddedStore

    with EmbeddedStore(store) as s:
        report = ingest_paths(s, [corpus])
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    return len(report.new) + len(report.updated) + len(report.unchanged)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shrink(path: Path) -> None:
    """Palette PNG (256 colours): a screenshot of a mostly flat page is a fraction of the size."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with streamlit; without it the PNG stays as taken
        return
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--corpus", default=str(ROOT / "corpus"), help="the articles to ingest (default: corpus/)")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1600, help="tall enough for a page's main parts (Streamlit scrolls an inner box, so a full-page shot would not be)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ecokg-shots-") as tmp:
        store = Path(tmp) / "store"
        n = ingest_corpus(store, Path(args.corpus))
        print(f"ingested {n} article(s) from {args.corpus} into {store}")
        port = free_port()
        env = dict(os.environ, ECOKG_STORE=str(store))
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        requests: list[str] = []
        try:
            deadline = time.time() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                    break
                except OSError:
                    if time.time() > deadline or proc.poll() is not None:
                        raise SystemExit("the app did not start") from None
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking", "--disable-component-update"])
                context = browser.new_context(viewport={"width": args.width, "height": args.height})
                context.on("request", lambda r: requests.append(r.url))
                page = context.new_page()
                for name, path, heading, frame, zh in SHOTS:
                    for lang in ("en", "zh") if zh else ("en",):
                        page.goto(f"{base}/{path}")
                        page.wait_for_function(SHOWN, arg={"heading": heading, "frame": frame}, timeout=120_000)
                        if lang == "zh":
                            page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
                            page.wait_for_timeout(300)
                            page.wait_for_function(SHOWN, arg={"heading": "", "frame": frame}, timeout=120_000)
                        page.wait_for_timeout(800)  # fonts and canvases settle
                        file = out / f"{name}{'-zh' if lang == 'zh' else ''}.png"
                        page.screenshot(path=str(file))
                        shrink(file)
                        print(f"wrote {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file} "
                              f"({file.stat().st_size // 1024} KB)")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    away = sorted({urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
                  - {"127.0.0.1"})
    if away:
        raise SystemExit(f"requests left 127.0.0.1: {away}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
