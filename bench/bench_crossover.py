"""Where igraph overtakes networkx: the full centrality table on synthetic graphs of growing size.

Times ``kg.analytics.centrality_table`` with each backend on subgraphs of the
synthetic ecosystem (heavy-tailed, as real ones are), and prints the size at
which igraph becomes faster; ``IGRAPH_ABOVE`` in kg/analytics.py follows it.
networkx stops being timed once it exceeds ``--nx-limit`` seconds.

    python bench/bench_crossover.py             # -> bench/results/crossover.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def synthetic_facts(entities: int, facts: int, seed: int = 7):
    import random

    import synth

    from kg.namespace import entity_iri
    from kg.queries import Fact

    rng = random.Random(seed)
    by_type = synth.make_entities(rng, entities)
    return [
        Fact(entity_iri(s.type, s.name), p, entity_iri(o.type, o.name), rng.randint(1, 3), 0.8)
        for s, p, o in synth.make_facts(rng, by_type, facts)
    ]


def main(argv: list[str] | None = None) -> int:
    from kg import analytics

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50,100,200,400,800,1600,3200,5000")
    ap.add_argument("--nx-limit", type=float, default=20.0)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "crossover.json"))
    args = ap.parse_args(argv)
    rows = []
    nx_done = False
    for n in (int(x) for x in args.sizes.split(",")):
        facts = synthetic_facts(n, n * 4)
        g = analytics.build_graph(facts)
        row = {"entities": g.number_of_nodes(), "facts": len(facts)}
        for method in ("igraph", "networkx"):
            if method == "networkx" and nx_done:
                row[method + "_s"] = None
                continue
            t0 = time.perf_counter()
            analytics.centrality_table(g, method=method)
            row[method + "_s"] = round(time.perf_counter() - t0, 3)
            if method == "networkx" and row[method + "_s"] > args.nx_limit:
                nx_done = True
        rows.append(row)
        print(f"{row['entities']:>6} entities {row['facts']:>6} facts   igraph {row['igraph_s']:>7.3f} s   "
              f"networkx {row['networkx_s'] if row['networkx_s'] is not None else '-':>7} s", flush=True)
    crossover = next((r["entities"] for r in rows if r["networkx_s"] and r["igraph_s"] < r["networkx_s"]), None)
    print(f"igraph faster from {crossover} entities; kg.analytics.IGRAPH_ABOVE = {analytics.IGRAPH_ABOVE}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpus": os.cpu_count(),
        "rows": rows, "igraph_faster_from": crossover, "IGRAPH_ABOVE": analytics.IGRAPH_ABOVE,
    }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
