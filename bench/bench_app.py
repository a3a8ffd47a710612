"""Page render times of the analyst app on a synthetic graph (default 5,000 entities, 20,000 facts).

For each page: the first load (cold caches: reading the store, merging facts,
computing centrality) and then repeated renders with warm caches, which is
what an analyst switching pages sees. Times are the server-side script run
through ``streamlit.testing`` (AppTest); ``--browser`` adds wall-clock times in
headless chromium against ``streamlit run``, from navigation until the page's
content is visible and no "Running…" remains: the first visit of each page,
loads of its URL in a new tab, and switches through the sidebar.

    python bench/bench_app.py                       # builds /tmp store, prints a table
    python bench/bench_app.py --store data/store    # an existing store
    python bench/bench_app.py --browser

Results go to bench/results/app.json. The target is < 2 s per warm page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = ("overview", "explorer", "centrality", "profile", "matrix", "sparql", "ingest")
TARGET_S = 2.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_apptest(store: Path, repeats: int) -> dict[str, dict[str, float]]:
    """Cold and warm render times per page, in one process (caches shared as in a server)."""
    from streamlit.testing.v1 import AppTest

    os.environ["ECOKG_STORE"] = str(store)
    results: dict[str, dict[str, float]] = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    t0 = time.perf_counter()
    at.run()
    first_app = time.perf_counter() - t0
    for page in PAGES:
        at.switch_page(f"ecokg/ui/pages/{page}.py")
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        warm = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        results[page] = {"first_load_s": round(cold, 3), "warm_median_s": round(statistics.median(warm), 3),
                         "warm_max_s": round(max(warm), 3)}
    results["_app_first_run"] = {"first_load_s": round(first_app, 3)}
    # A fresh session (another analyst) on warm caches.
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    fresh.switch_page("ecokg/ui/pages/explorer.py")
    t0 = time.perf_counter()
    fresh.run()
    results["_new_session_explorer"] = {"warm_median_s": round(time.perf_counter() - t0, 3)}
    return results


HEADINGS = {"overview": "Ecosystem overview", "explorer": "Graph explorer", "centrality": "Centrality and communities",
            "profile": "", "matrix": "Competition matrix", "sparql": "SPARQL", "ingest": "Ingest articles"}
FRAMES = {"explorer": "ecoReady", "sparql": "ecoEditor"}
PAGE_TIMEOUT_MS = 120_000  # pages whose content is drawn in a frame

# The page is "there" when the script is idle, no "Running…" is shown, the page's heading is in the main
# area and, on the explorer and the SPARQL page, the network is drawn / the editor is up.
SHOWN = """(a) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (a.armed && window.__sawRun !== true) return false;
  if (document.querySelector('[data-testid^="stStatusWidgetRunning"]')) return false;  // "Running…"
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  if (!h1 || !h1.innerText.trim() || (a.heading && !h1.innerText.includes(a.heading))) return false;
  if (document.querySelector('[data-testid="stMain"] [data-stale="true"]')) return false;
  if (!a.frame) return true;
  return Array.from(document.querySelectorAll('iframe')).some(f => {
    try { return !!(f.contentWindow && f.contentWindow[a.frame]); } catch (e) { return false; } });
}"""
ARM = ("() => { window.__sawRun = false; const a = document.querySelector('[data-testid=\"stApp\"]');"
       " new MutationObserver(() => { if (a.dataset.testScriptState === 'running') window.__sawRun = true; })"
       ".observe(a, {attributes: true}); }")


def bench_browser(store: Path, repeats: int) -> dict[str, dict[str, float]]:
    """Wall-clock times in headless chromium against `streamlit run`, as a person sees them.

    From navigation until the page's content is visible and no "Running…" is
    shown (``SHOWN``): the first visit of each page (it may compute what the
    page needs: centrality, layout), then loads of the page's URL in a fresh
    session (``load_*``: the server's caches warm, as for every analyst after
    the first) and switches through the sidebar (``warm_*``).
    """
    import socket
    import subprocess
    import urllib.request

    from playwright.sync_api import sync_playwright

    from ecokg.ui.shell import PAGES as SHELL_PAGES

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, ECOKG_STORE=str(store))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    out: dict[str, dict[str, float]] = {}
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            )
            context = browser.new_context(viewport={"width": 1400, "height": 1000})

            def shown(page, name: str, armed: bool = False) -> None:
                from playwright.sync_api import TimeoutError as PageTimeout

                try:
                    page.wait_for_function(SHOWN, arg={"heading": HEADINGS[name], "frame": FRAMES.get(name, ""),
                                                       "armed": armed}, timeout=PAGE_TIMEOUT_MS, polling=25)
                except PageTimeout as exc:  # say which page, and what it showed, instead of a bare timeout
                    h1 = page.locator('[data-testid="stMain"] h1').all_inner_texts()
                    raise RuntimeError(f"page {name!r} not shown within {PAGE_TIMEOUT_MS / 1000:.0f} s "
                                       f"(headings: {h1})") from exc

            def load(name: str) -> float:
                page = context.new_page()  # a new session, as a new tab or a shared link opens
                try:
                    t0 = time.perf_counter()
                    page.goto(f"{base}/{name}")
                    shown(page, name)
                    return time.perf_counter() - t0
                finally:
                    page.close()

            for name in PAGES:  # first visits: whatever the page computes, once per store generation
                out[name] = {"first_visit_s": round(load(name), 3)}
            loads: dict[str, list[float]] = {name: [] for name in PAGES}
            for _ in range(repeats):
                for name in PAGES:
                    loads[name].append(load(name))
            titles = {path: title for _file, title, path in SHELL_PAGES}
            warm: dict[str, list[float]] = {name: [] for name in PAGES}
            page = context.new_page()
            page.goto(f"{base}/overview")
            shown(page, "overview")
            for _ in range(repeats):
                for name in PAGES:
                    page.evaluate(ARM)
                    t0 = time.perf_counter()
                    nav = page.locator('[data-testid="stSidebarNav"]')
                    nav.get_by_role("link", name=titles[name], exact=True).click()
                    shown(page, name, armed=True)
                    warm[name].append(time.perf_counter() - t0)
            for name in PAGES:
                out[name]["load_median_s"] = round(statistics.median(loads[name]), 3)
                out[name]["load_max_s"] = round(max(loads[name]), 3)
                out[name]["warm_median_s"] = round(statistics.median(warm[name]), 3)
                out[name]["warm_max_s"] = round(max(warm[name]), 3)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render times of every app page on a synthetic graph.")
    ap.add_argument("--store", help="an existing store folder (default: build a synthetic one in /tmp)")
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--facts", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--browser", action="store_true", help="also time page loads in chromium")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "app.json"))
    args = ap.parse_args(argv)

    build_s = None
    if args.store:
        store = Path(args.store)
    else:
        import synth

        store = Path(tempfile.mkdtemp(prefix="ecokg-bench-app-")) / "store"
        t0 = time.perf_counter()
        g = synth.write_store(store, args.entities, args.facts, seed=7)
        build_s = round(time.perf_counter() - t0, 2)
        print(f"synthetic store: {len(g.entities)} entities, {len(g.facts)} facts, {g.articles} articles "
              f"({build_s} s) at {store}")

    try:
        results = {"apptest": bench_apptest(store, args.repeats)}
        rss = peak_rss_mb()
        if args.browser:
            results["browser"] = bench_browser(store, args.repeats)
    finally:
        if not args.store:
            shutil.rmtree(store.parent, ignore_errors=True)

    print(f"\n{'page':<24}{'first load':>12}{'warm median':>13}{'warm max':>10}  (seconds; target < {TARGET_S:g} s warm)")
    for mode, rows in results.items():
        print(f"-- {mode}")
        for page, r in rows.items():
            first = r.get("first_load_s", r.get("first_visit_s", float("nan")))
            print(f"{page:<24}{first:>12.3f}{r.get('warm_median_s', float('nan')):>13.3f}"
                  f"{r.get('warm_max_s', float('nan')):>10.3f}"
                  + (f"   load in a new tab: median {r['load_median_s']:.3f}, max {r['load_max_s']:.3f}"
                     if "load_max_s" in r else ""))
    warm = [r["warm_max_s"] for r in results["apptest"].values() if "warm_max_s" in r]
    cold = [r["first_load_s"] for p, r in results["apptest"].items() if not p.startswith("_")]
    summary = {
        "slowest_warm_s": max(warm),
        "all_warm_under_target": max(warm) < TARGET_S,
        "warm_over_first_load_ratio": round(sum(warm) / sum(cold), 3) if sum(cold) else None,
        "peak_rss_mb_apptest_process": round(rss, 1),
    }
    if "browser" in results:
        b = results["browser"]
        summary["browser_slowest_s"] = max(max(r["load_max_s"], r["warm_max_s"]) for r in b.values())
        summary["browser_all_under_target"] = summary["browser_slowest_s"] <= TARGET_S
        summary["browser_slowest_first_visit_s"] = max(r["first_visit_s"] for r in b.values())
        print(f"browser: slowest page {summary['browser_slowest_s']:.3f} s (new-tab loads and sidebar switches); "
              f"slowest first visit {summary['browser_slowest_first_visit_s']:.3f} s")
    print(f"\nslowest warm page {summary['slowest_warm_s']:.3f} s; warm/first-load ratio "
          f"{summary['warm_over_first_load_ratio']}; peak RSS {summary['peak_rss_mb_apptest_process']:.0f} MB")
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "graph": {"store": str(store), "entities": args.entities if not args.store else None,
                  "facts": args.facts if not args.store else None, "build_s": build_s},
        "target_s": TARGET_S,
        "results": results,
        "summary": summary,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
