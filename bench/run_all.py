"""`make bench`: run every benchmark, collect their JSON and rewrite the table in bench/README.md.

Each script runs in its own process (peak memory is per figure) with a time
limit; a script that fails or overruns is reported in the table, never hidden.
``--quick`` runs tiny sizes (a smoke test: the numbers mean nothing).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BENCH_DIR, RESULTS_DIR, machine_info, now_iso  # noqa: E402

#: (name, script, extra arguments, time limit in seconds), in the order they run.
BENCHES: list[tuple[str, str, list[str], float]] = [
    ("extract", "bench_extract.py", [], 240),
    ("ingest", "bench_ingest.py", [], 360),
    ("noop", "bench_noop.py", [], 240),
    ("sparql", "bench_sparql.py", [], 480),
    ("app", "bench_app.py", [], 200),  # owned by the app: run when present
    ("centrality", "bench_centrality.py", [], 600),
    ("curation", "bench_curation.py", [], 600),
    ("changes", "bench_changes.py", [], 300),
]
#: Tiny sizes for scripts that have no --quick flag.
QUICK_ARGS: dict[str, list[str]] = {"app": ["--entities", "200", "--facts", "600", "--repeats", "1"]}
FIGURE = {"extract": 1, "ingest": 2, "noop": 3, "sparql": 4, "centrality": 5, "app": 6, "curation": 7, "changes": 8}
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run_one(name: str, script: str, extra: list[str], limit: float, quick: bool) -> dict:
    """Run one bench script; its status, wall time and (fresh) JSON result."""
    path = BENCH_DIR / script
    if not path.exists():
        return {"name": name, "status": "absent", "wall_s": 0.0}
    out = RESULTS_DIR / f"{name}.json"
    cmd = [sys.executable, str(path), *extra]
    if quick:
        cmd += ["--quick"] if _accepts(path, "--quick") else QUICK_ARGS.get(name, [])
    t0 = time.perf_counter()
    print(f"== {name}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(cmd, timeout=limit, capture_output=True, text=True)
        status = "ok" if proc.returncode == 0 else f"failed (exit {proc.returncode})"
        tail = proc.stderr.strip().splitlines()[-5:]
    except subprocess.TimeoutExpired as exc:
        status, tail = f"cut at the {limit:.0f} s limit", (exc.stderr or b"").decode(errors="replace").splitlines()[-5:]
    wall = time.perf_counter() - t0
    result = None
    if out.exists() and out.stat().st_mtime >= time.time() - wall - 1:
        result = adapt(name, json.loads(out.read_text()))
    elif status == "ok":
        status = "ok, but wrote no fresh JSON"
    print(f"   {status} in {wall:.0f} s", file=sys.stderr, flush=True)
    if status != "ok":
        print("   " + "\n   ".join(tail), file=sys.stderr)
    return {"name": name, "status": status, "wall_s": round(wall, 1), "command": " ".join(cmd[1:]),
            "result": result, "stderr_tail": tail if status != "ok" else []}


def adapt(name: str, res: dict) -> dict:
    """Results in another shape (the app's) mapped onto the common envelope: targets and flat metrics."""
    if name != "app" or "targets" in res:
        return res
    summ = res.get("summary") or {}
    pages = (res.get("results") or {}).get("apptest") or {}
    metrics: dict[str, object] = {}
    for page, r in pages.items():
        for k in ("first_load_s", "warm_median_s", "warm_max_s"):
            if k in r:
                metrics[f"{page} {k}"] = r[k]
    slow = [p for p, r in pages.items() if r.get("warm_max_s", 0) > res.get("target_s", 2.0)]
    graph = res.get("graph") or {}
    return {
        "bench": "app", "date": res.get("when"), "metrics": metrics, "notes": [],
        "peak_rss_mb": summ.get("peak_rss_mb_apptest_process"),
        "targets": [{"name": "warm page render, slowest page (AppTest, "
                             + (f"{graph['entities']:,} entities, {graph['facts']:,} facts)" if graph.get("entities")
                                else f"store {graph.get('store')})"),
                     "value": summ.get("slowest_warm_s"), "goal": f"<= {res.get('target_s', 2.0):g} s per page",
                     "met": summ.get("all_warm_under_target"),
                     "note": ("over: " + ", ".join(slow)) if slow else "bench/bench_app.py (app-owned)"}]
        + _browser_target(res, graph),
    }


def _browser_target(res: dict, graph: dict) -> list[dict]:
    """The app's figure as a person sees it (`bench_app.py --browser`), when that run was made."""
    pages = (res.get("results") or {}).get("browser") or {}
    summ = res.get("summary") or {}
    if not pages or "browser_slowest_s" not in summ:
        return []
    target = res.get("target_s", 2.0)
    slow = [p for p, r in pages.items() if max(r["load_max_s"], r["warm_max_s"]) > target]
    size = f"{graph['entities']:,} entities, {graph['facts']:,} facts" if graph.get("entities") else "store"
    return [{"name": f"navigation until shown, no Running…, slowest page (chromium, {size})",
             "value": summ["browser_slowest_s"], "goal": f"<= {target:g} s per page",
             "met": summ.get("browser_all_under_target"),
             "note": "new-tab loads and sidebar switches; " + (("over: " + ", ".join(slow)) if slow else "every page")}]


def _accepts(script: Path, flag: str) -> bool:
    text = script.read_text(encoding="utf-8")
    return flag in text or (flag == "--quick" and "base_parser(" in text)


# ------------------------------------------------------------------ the table
def _fmt(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _met(m: object) -> str:
    return {True: "**met**", False: "**missed**"}.get(m, "not measured")  # type: ignore[call-overload]


def targets_table(runs: list[dict]) -> list[str]:
    rows = ["| Fig. | Target | Measured | Goal | Result | Note |", "|---|---|---|---|---|---|"]
    for r in runs:
        res = r.get("result") or {}
        targets = res.get("targets") if isinstance(res.get("targets"), list) else None
        if r["status"] != "ok" and not targets:
            rows.append(f"| {FIGURE.get(r['name'], '')} | {r['name']} | – | – | {r['status']} | see stderr |")
            continue
        for t in targets or []:
            if isinstance(t, dict):
                note = str(t.get("note", "")).replace("|", "/")
                rows.append(f"| {FIGURE.get(r['name'], '')} | {t.get('name')} | {_fmt(t.get('value'))} | "
                            f"{t.get('goal', '')} | {_met(t.get('met'))} | {note} |")
    return rows


def detail_tables(runs: list[dict]) -> list[str]:
    """Per-figure detail: the metrics that explain the targets."""
    out: list[str] = []
    for r in runs:
        res = r.get("result")
        if not res:
            continue
        took = f"{r['wall_s']:.0f} s" if r["wall_s"] else f"run {res.get('date')}"
        out += ["", f"#### Figure {FIGURE.get(r['name'], '?')}: {r['name']} ({took}, "
                    f"peak RSS {_fmt(res.get('peak_rss_mb'))} MB)", ""]
        if r["name"] == "sparql":
            out += sparql_table(res)
        elif r["name"] == "centrality":
            out += centrality_table(res)
        else:
            flat = {k: v for k, v in (res.get("metrics") or res).items() if not isinstance(v, dict | list)}
            out += ["| Metric | Value |", "|---|---|"] + [f"| {k} | {_fmt(v)} |" for k, v in flat.items()]
        for n in res.get("notes") or []:
            out.append(f"\n- {n}")
    return out


def sparql_table(res: dict) -> list[str]:
    """Per query: median / p95 at each size (per-entity queries over sampled entities, hub beside), rdflib ratio."""
    m = res["metrics"]
    sizes = sorted((k for k in m if k.isdigit()), key=int)
    head = ("| Query | " + " | ".join(f"{int(s):,} quads: median / p95 ms" for s in sizes)
            + " | biggest hub ms (largest size) | rdflib median ms | × rdflib |")
    rows = [head, "|---" * (len(sizes) + 4) + "|"]
    rd_size = next((s for s in reversed(sizes) if "rdflib_engine" in m[s]), None)
    for q in m[sizes[-1]]["ecokg_function_latency"]:
        cells = []
        for s in sizes:
            typical = m[s].get("sampled_entity_latency", {}).get(q)
            v = typical or m[s]["ecokg_function_latency"].get(q, {})
            cells.append(f"{_fmt(v.get('median_ms'))} / {_fmt(v.get('p95_ms'))}" if v.get("median_ms") is not None
                         else f"> {v.get('timeout_s', '?')} s (cut)")
        hub = m[sizes[-1]]["ecokg_function_latency"].get(q, {}) if q in m[sizes[-1]].get("sampled_entity_latency", {}) else {}
        rd = m[rd_size]["rdflib_engine"].get(q, {}) if rd_size else {}
        rd_typical = m[rd_size].get("sampled_entity_latency", {}).get(q, {}) if rd_size else {}
        if rd_typical.get("speedup"):
            ratio = f"{_fmt(rd_typical['speedup'])} (hub {_fmt(rd.get('speedup'))})"
            rd_ms = rd_typical.get("rdflib_median_ms")
        else:
            ratio, rd_ms = _fmt(rd.get("speedup")), rd.get("median_ms")
        form = " (union form)" if rd.get("form") == "union form" else ""
        rows.append(f"| {q} | " + " | ".join(cells) + f" | {_fmt(hub.get('median_ms')) if hub else ''} | "
                    f"{_fmt(rd_ms)}{form} | {ratio} |")
    rows.append("")
    rows.append("Store sizes: " + "; ".join(
        f"{m[s]['quads']:,} quads = {m[s]['entities']:,} entities, {m[s]['facts']:,} facts, {m[s]['articles']:,} "
        f"articles (built in {_fmt(m[s]['build_s'])} s)" for s in sizes)
        + (f"; rdflib column at {m[rd_size]['quads']:,} quads (rdflib load {_fmt(m[rd_size].get('rdflib_load_s'))} s): "
           "engine time with rows materialised, of the same text or of its union form (`bench/union_forms.py`) when "
           "that is faster in rdflib. Per-entity queries (rivals, profile, matrix cell): median and p95 over "
           "entities drawn in proportion to their number of facts, the biggest hub in its own column; "
           "`snapshot:` rows are the app's bulk reads at start-up (cached), not interactive queries." if rd_size else ""))
    return rows


def centrality_table(res: dict) -> list[str]:
    rows = ["| Graph (nodes / pairs) | Group | ecokg s | networkx exact s | igraph exact s | × networkx |",
            "|---|---|---|---|---|---|"]
    for g in res["metrics"].values():
        for group, r in g["groups"].items():
            nx_s = _fmt(r.get("networkx_exact_s")) if r.get("networkx_exact_s") is not None else (
                "cut" if "within" in str(r.get("networkx_note")) else "not run")
            eco_s = _fmt(r.get("ecokg_s")) if r.get("ecokg_s") is not None else f"cut ({r.get('ecokg_error')})"
            cand = r.get("sampled_candidate")
            extra = (f" sampled candidate ({cand['method']}): {_fmt(cand['s'])} s, Spearman "
                     f"{_fmt(cand['spearman_top100'])}" if cand else "")
            rows.append(f"| {g['nodes']:,} / {g['edges']:,} | {group} | {eco_s} | {nx_s} | "
                        f"{_fmt(r.get('igraph_exact_s'))} | {_fmt(r.get('speedup_vs_networkx'))}{extra} |")
        rho = ", ".join(f"{k} {_fmt(v)}" for k, v in (g.get("spearman_top100") or {}).items())
        rows.append(f"| {g['nodes']:,} / {g['edges']:,} | **all, with communities** | **{_fmt(g['ecokg_total_s'])}** | "
                    f"| | method: {g.get('ecokg_method')}; Spearman top-100: {rho} |")
    return rows


def write_readme(runs: list[dict], started: str, total_s: float, argv: list[str]) -> None:
    readme = BENCH_DIR / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    mi = machine_info()
    block = [
        START,
        f"_Generated by `bench/run_all.py` on {started} ({total_s / 60:.1f} min in total; "
        f"command: `python bench/run_all.py {' '.join(argv)}`)._",
        "",
        f"Machine: {mi['cpu']}, {mi['cores']} cores, {mi['mem_gb']} GB, Python {mi['python']}, {mi['platform']}, "
        f"OPENBLAS_CORETYPE={mi['openblas_coretype'] or 'unset'}; load average at the end {mi['loadavg_1m']}.",
        "",
        "| Bench | Status | Wall s | Command |",
        "|---|---|---|---|",
        *[f"| {r['name']} | {r['status']} | {r['wall_s']:.0f} | `{r.get('command', '')}` |" for r in runs],
        "",
        *targets_table(runs),
        *detail_tables(runs),
        END,
    ]
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    readme.write_text(head + "\n".join(block) + tail, encoding="utf-8")


def write_summary(runs: list[dict], started: str, total_s: float) -> Path:
    """bench/results/summary.json: the small, committed record of the run (targets and statuses)."""
    path = RESULTS_DIR / "summary.json"
    data = {
        "date": started,
        "total_s": round(total_s, 1),
        "machine": machine_info(),
        "runs": [{"name": r["name"], "status": r["status"], "wall_s": r["wall_s"],
                  "targets": (r.get("result") or {}).get("targets"),
                  "peak_rss_mb": (r.get("result") or {}).get("peak_rss_mb")} for r in runs],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="tiny sizes for every bench (smoke test)")
    p.add_argument("--only", default="", help="comma-separated bench names to run")
    p.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    p.add_argument("--render-only", action="store_true",
                   help="run nothing: rebuild the table from bench/results/*.json")
    p.add_argument("--budget", type=float, default=870.0, help="seconds for the whole run (each bench gets "
                   "at most what is left)")
    args = p.parse_args(argv)
    only = {x for x in args.only.split(",") if x}
    if args.render_only:
        only = {"-"}  # no bench matches: every figure comes from its last results
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    started, t0 = now_iso(), time.perf_counter()
    runs = []
    for n, s, e, lim in BENCHES:
        if only and n not in only:
            continue
        left = args.budget - (time.perf_counter() - t0)
        if left < 20:
            runs.append({"name": n, "status": "skipped: time budget spent", "wall_s": 0.0, "command": s})
            continue
        runs.append(run_one(n, s, e, min(lim, left), args.quick))
    runs = [r for r in runs if r["status"] != "absent"]
    if only:  # keep the other figures in the table, from their last results
        done = {r["name"] for r in runs}
        order = [b[0] for b in BENCHES]
        for n in order:
            path = RESULTS_DIR / f"{n}.json"
            if n not in done and path.exists():
                res = adapt(n, json.loads(path.read_text()))
                runs.append({"name": n, "status": f"ok (earlier run, {res.get('date')})", "wall_s": 0.0,
                             "command": res.get("command", ""), "result": res})
        runs.sort(key=lambda r: order.index(r["name"]))
    total = time.perf_counter() - t0
    write_summary(runs, started, total)
    if not args.no_readme:
        write_readme(runs, started, total, sys.argv[1:] if argv is None else argv)
    print(f"all benches in {total / 60:.1f} min", file=sys.stderr)
    return 0 if all(r["status"].startswith("ok") for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
