"""Figure 2: ingesting synthetic articles into a fresh on-disk store.

Articles/s, quads/s and peak memory of ``ingest_paths`` (the code behind
``ecokg ingest``) with the real extractor, and where the time goes: reading,
planning (hash lookups), extraction, RDF mapping and store writes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Result, Stopwatch, base_parser, peak_rss_mb, rnd  # noqa: E402
from bench.synth_articles import write_corpus  # noqa: E402

TARGET_WRITE_SHARE = 0.20


def instrument(store, watches: dict[str, Stopwatch]):
    """Wrap the store writes, extraction, RDF mapping and planning with stopwatches."""
    import ingest.ingestion as ing

    orig_replace = store.replace_graph

    def replace_graph(graph, quads):
        with watches["store_write"].time():
            return orig_replace(graph, quads)

    store.replace_graph = replace_graph
    originals = {name: getattr(ing, name) for name in ("article_quads", "plan", "local_extract_batch")}

    def wrap(fn, key):
        def inner(*args, **kw):
            with watches[key].time():
                return fn(*args, **kw)

        return inner

    ing.article_quads = wrap(originals["article_quads"], "rdf_mapping")
    ing.plan = wrap(originals["plan"], "plan")
    extract = wrap(originals["local_extract_batch"], "extraction")
    return extract, originals


def main(argv: list[str] | None = None) -> int:
    p = base_parser(__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=2000, help="articles to ingest (the issue's 2,000)")
    p.add_argument("--zh-share", type=float, default=0.3)
    p.add_argument("--en-words", type=int, default=300)
    p.add_argument("--zh-chars", type=int, default=600)
    p.add_argument("--profile", action="store_true", help="write a pyinstrument profile next to the JSON")
    a = p.parse_args(argv)
    if a.quick:
        a.articles = 6

    import ingest.ingestion as ing
    from kg.store import EmbeddedStore

    work = Path(a.workdir or tempfile.mkdtemp(prefix="ecokg-bench-ingest-"))
    res = Result("ingest")
    try:
        paths = write_corpus(work / "articles", a.articles, seed=a.seed, zh_share=a.zh_share,
                             en_words=a.en_words, zh_chars=a.zh_chars)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
        res.params = {"articles": a.articles, "zh_share": a.zh_share, "en_words": a.en_words,
                      "zh_chars": a.zh_chars, "total_whitespace_words": words}
        from ingest.nlp import get_extractor

        t0 = time.perf_counter()
        get_extractor().extract("Microsoft competes with Google.", "warm", "en")
        get_extractor().extract("微软与谷歌竞争。", "warm", "zh")
        res.metrics["model_load_s"] = rnd(time.perf_counter() - t0)

        watches = {k: Stopwatch() for k in ("store_write", "rdf_mapping", "plan", "extraction")}
        store = EmbeddedStore(work / "store")
        extract, originals = instrument(store, watches)
        profiler = None
        if a.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        t0 = time.perf_counter()
        report = ing.ingest_paths(store, [work / "articles"], extract_batch=extract)
        t_close = time.perf_counter()
        store.close()
        total = time.perf_counter() - t0
        close_s = time.perf_counter() - t_close
        if profiler:
            profiler.stop()
            out = Path(a.out or "bench/results/ingest.json").with_suffix(".profile.txt")
            out.write_text(profiler.output_text(unicode=False, color=False))
        for name, fn in originals.items():
            setattr(ing, name, fn)

        reader = EmbeddedStore(work / "store", read_only=True)
        quads = reader.quad_count()
        reader.close()
        write_s = watches["store_write"].seconds + close_s
        other = total - sum(w.seconds for w in watches.values()) - close_s
        share = write_s / total
        res.metrics.update({
            "ingest_s": rnd(total),
            "articles_per_s": rnd(a.articles / total, 1),
            "quads": quads,
            "quads_per_s": rnd(quads / total, 0),
            "store_write_s": rnd(write_s),
            "store_write_quads_per_s": rnd(quads / write_s, 0) if write_s else None,
            "store_write_share": rnd(share),
            "extraction_s": rnd(watches["extraction"].seconds),
            "extraction_share": rnd(watches["extraction"].seconds / total),
            "rdf_mapping_s": rnd(watches["rdf_mapping"].seconds),
            "plan_s": rnd(watches["plan"].seconds),
            "read_and_other_s": rnd(other),
            "store_close_flush_s": rnd(close_s),
            "report": report.summary(),
            "peak_rss_mb": rnd(peak_rss_mb(), 1),
        })
        res.target("store writes share of ingest", rnd(share), f"<= {TARGET_WRITE_SHARE:.0%}",
                   share <= TARGET_WRITE_SHARE,
                   f"{a.articles / total:.1f} articles/s, {quads / total:,.0f} quads/s, peak RSS {peak_rss_mb():.0f} MB")
        if report.failed:
            res.notes.append(f"{len(report.failed)} articles failed: {report.failed[:3]}")
    finally:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
    res.write(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
