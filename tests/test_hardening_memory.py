"""A 5 MB article is refused with a clear error in bounded memory: peak RSS measured in a fresh process.

Each case runs in its own Python process, which reports its peak resident set size
(``VmHWM``) and what happened. The bound asserted (600 MB) is generous: it is there
to catch memory that grows with the input (a decoded copy per step, a parse tree of
the whole page), not to time anything. The figures are printed (``pytest -s``) and
recorded in docs/reliability.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from service_helpers import subprocess_env

ROOT = Path(__file__).resolve().parents[1]
PEAK_BOUND_MB = 600

SCRIPT = r"""
import json, sys
from pathlib import Path

def vm_hwm_kb():
    # VmHWM belongs to this process's own address space; ru_maxrss would carry the parent's
    # high-water mark across fork and exec (a large pytest process would show through).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")

case, path = sys.argv[1], Path(sys.argv[2])
base = vm_hwm_kb()
if case == "cli":
    import contextlib, io
    from ecokg.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["ingest", str(path), "--store", str(path.parent / "store"), "-q"])
    outcome = {"code": code, "message": err.getvalue().strip()}
else:
    from ingest.text import ArticleError, article_from_bytes
    try:
        art = article_from_bytes(path.read_bytes(), path.name, key="urn:x:big", is_html=path.suffix == ".html")
        outcome = {"accepted": len(art.text)}
    except ArticleError as exc:
        outcome = {"message": str(exc)}
outcome["peak_mb"] = vm_hwm_kb() / 1024
outcome["start_mb"] = base / 1024
print(json.dumps(outcome))
"""


def _text(n: int) -> bytes:
    unit = b"Acme Inc. acquired Globex Corp. and partnered with Initech on Kubernetes. "
    return (unit * (n // len(unit) + 1))[:n]


def _html(n: int) -> bytes:
    paras = "".join(
        f"<p>Report {i}: " + " ".join(f"Acme{i}x{k} acquired Globex{k}." for k in range(400)) + "</p>\n"
        for i in range(450)
    )
    return f"<html><head><title>Big</title></head><body><article>{paras}</article></body></html>".encode()[:n]


CASES = {
    # name: (file name, bytes, how it is read, expected message)
    "5 MB text file through `ecokg ingest`": (
        "big.txt", lambda: _text(5_000_000), "cli", "text too long (5,000,000 characters > 1,000,000)"),
    "5 MB HTML page (trafilatura parses it)": (
        "big.html", lambda: _html(5_000_000), "bytes", "text too long"),
    "5 MB of Chinese text (1.7 M characters)": (
        "zh.txt", lambda: ("微软与谷歌在云计算领域展开竞争。" * 110_000).encode()[:5_000_000], "bytes", "text too long"),
    "20 MB upload or body (refused before decoding)": (
        "huge.txt", lambda: _text(20_000_000), "bytes", "too large (20,000,000 bytes > 5,242,880)"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_big_inputs_are_refused_clearly_in_bounded_memory(case, tmp_path):
    name, make, how, expected = CASES[case]
    path = tmp_path / name
    path.write_bytes(make())
    proc = subprocess.run([sys.executable, "-c", SCRIPT, how, str(path)], capture_output=True, text=True,
                          cwd=ROOT, env=subprocess_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{case}: {path.stat().st_size:,} bytes -> {out.get('message')!r}, peak RSS {out['peak_mb']:.0f} MB")
    assert expected in out["message"]
    assert "accepted" not in out
    if how == "cli":
        assert out["code"] == 1  # nothing ingested, the reason on stderr
        from kg.store import EmbeddedStore

        with EmbeddedStore(tmp_path / "store", read_only=True) as store:  # the catalog is there, no article
            assert store.article_graphs() == []
    assert out["peak_mb"] < PEAK_BOUND_MB, f"peak RSS {out['peak_mb']:.0f} MB for a {path.stat().st_size:,}-byte input"
