"""User SPARQL: read-only, bounded in time and rows, with the usual result formats.

The CLI, the app and the benchmarks run analyst queries through ``run_query`` so
the same limits and messages hold everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.namespace import PREFIXES, sparql_prefixes
from kg.store import EmbeddedStore, Store, store_generation

DEFAULT_TIMEOUT_S = float(os.environ.get("ECOKG_QUERY_TIMEOUT", "30"))
DEFAULT_MAX_ROWS = int(os.environ.get("ECOKG_QUERY_MAX_ROWS", "10000"))


class QueryError(ValueError):
    """A query that was refused or failed; str() is the message for people."""


class UpdateRefused(QueryError):
    pass


class QueryTimeout(QueryError):
    pass


class FederationRefused(QueryError):
    pass


SERVICE_REFUSED = (
    "federated queries (SERVICE) are disabled: they make this machine send requests to other servers; "
    "set ECOKG_SPARQL_SERVICE=1 (or `ecokg serve --allow-service`) to allow them"
)


def timeout_message(timeout: float) -> str:
    """The words every interface (CLI, app, SPARQL endpoint) uses when a query hits the time limit."""
    return f"query stopped at the time limit of {timeout:g} s; narrow it (LIMIT, FILTER) or raise the limit"


def row_cap_message(max_rows: int) -> str:
    """The words every interface uses when a result is cut at the row cap."""
    return f"result cut at the row cap of {max_rows:,} rows; add LIMIT or raise the cap"


@dataclass
class QueryResult:
    """A SELECT/ASK/CONSTRUCT result, already materialised within the bounds."""

    kind: str  # "select", "ask" or "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # pyoxigraph terms or None
    boolean: bool | None = None
    truncated: bool = False
    max_rows: int = 0

    @property
    def message(self) -> str | None:
        if self.truncated:
            return row_cap_message(self.max_rows)
        return None

    def as_python(self) -> list[dict[str, object]]:
        return [{c: term_value(v) for c, v in zip(self.columns, row, strict=False)} for row in self.rows]


def term_value(term) -> object:
    """A plain Python value for display: IRIs and strings as str, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#int", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt.endswith(("#double", "#decimal", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        return term.value
    return term.value


def check_read_only(text: str) -> None:
    """Refuse SPARQL Update text with a clear message (the query parser would only say 'syntax error').

    Only a textual check: the query itself is parsed (and run) in a worker process, never here, so
    a query that is expensive even on an empty store cannot tie up this process.
    """
    if _looks_like_update(sparql_prefixes() + text):
        raise UpdateRefused(
            "updates are refused: ecokg's query interface is read-only "
            "(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY are not allowed)"
        )


_ERROR_AT = re.compile(r"^\s*error at (\d+):(\d+):\s*", re.IGNORECASE)
_CHAR_CLASS = re.compile(r"\[[^\[\]]*\]")


def syntax_message(raw: str, text: str, line_offset: int = 0) -> str:
    """A one-line syntax error at the line and column of the user's own text, without character-class noise.

    Oxigraph says ``error at 1:31: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | ...]``;
    this keeps the position (shifted back by ``line_offset`` lines of text put in front) and the words.
    """
    raw = " ".join(str(raw).split())
    m = _ERROR_AT.match(raw)
    if not m:
        return f"SPARQL syntax error: {raw[:300]}"
    line, col = int(m.group(1)) - line_offset, int(m.group(2))
    rest = raw[m.end() :]
    while _CHAR_CLASS.search(rest):
        rest = _CHAR_CLASS.sub("", rest)
    rest = rest.replace("expected one of", "expected").strip()
    words = [w.strip() for w in rest.removeprefix("expected").split(",") if w.strip() and w.strip() != "|"]
    if any(w.lower() == "prefix not found" for w in words):
        what = "undeclared prefix"
    elif words and rest.startswith("expected"):
        shown = words[:8]
        what = "expected " + ", ".join(shown) + (", ..." if len(words) > len(shown) else "")
    elif words:
        what = ", ".join(words)[:200]
    else:
        what = "unexpected text"
    lines = text.split("\n")
    near = ""
    if 1 <= line <= len(lines):
        snippet = lines[line - 1][max(0, col - 21) : col + 9].strip()
        near = f' (near "{snippet}")' if snippet else " (at the end of the line)"
    elif line > len(lines):
        near = " (at the end of the query)"
    return f"SPARQL syntax error at line {max(line, 1)}, column {col}: {what}{near}"


_UPDATE_KEYWORDS = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
_PROLOGUE = re.compile(r"^\s*(PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)
_COMMENT = re.compile(r"(?m)#[^\n<>\"']*$")


def _looks_like_update(text: str) -> bool:
    """Text whose first operation (after the prologue) is an update keyword."""
    body = _COMMENT.sub("", text)
    while True:
        m = _PROLOGUE.match(body)
        if not m:
            break
        body = body[m.end() :]
    return bool(_UPDATE_KEYWORDS.match(body))


_LITERALS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE\s+(?:SILENT\s+)?(?:<>|[?$]\w|[A-Za-z][\w.-]*:|:)", re.IGNORECASE)


def service_allowed() -> bool:
    return os.environ.get("ECOKG_SPARQL_SERVICE", "").lower() in ("1", "true", "yes", "allow")


def blank_literals(text: str) -> str:
    """The query with every IRI emptied to <> and every string to "" (what is left is syntax and names)."""
    return _LITERALS.sub(lambda m: "<>" if m.group(0).startswith("<") else '""', text)


def uses_service(text: str) -> bool:
    """Whether a query has a SERVICE clause (strings, IRIs and comments cannot fake one)."""
    body = re.sub(r"#[^\n]*", " ", blank_literals(text))
    return bool(_SERVICE.search(body))


def check_federation(text: str, allow: bool | None = None) -> None:
    """Refuse SERVICE unless allowed: Oxigraph would fetch any URL, including internal ones."""
    if not (service_allowed() if allow is None else allow) and uses_service(text):
        raise FederationRefused(SERVICE_REFUSED)


class QueryMemoryLimit(QueryError):
    pass


def memory_message(budget: int) -> str:
    """The words every interface uses when a query is stopped at the memory budget."""
    return (
        f"query stopped at the memory limit of {budget / (1 << 20):,.0f} MB; narrow it (LIMIT, FILTER, fewer "
        "joins) or raise the limit (ECOKG_QUERY_MAX_MEMORY, ecokg serve --max-memory)"
    )


def run_query(
    store: Store,
    text: str,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    substitutions: dict | None = None,
    pool=None,
) -> QueryResult:
    """Run a read-only query over the union graph, within a time limit, a row cap and a memory budget.

    On an embedded store the query runs in a worker process of ``pool`` (default: this process's
    ``kg.query_pool.shared_pool()``), which is killed at the time limit or the memory budget: that
    stops the work, where an abandoned thread would go on. A remote store's server bounds its own work.
    """
    check_federation(text)  # first: a refused SERVICE is refused whatever else the text says
    check_read_only(text)
    timeout = DEFAULT_TIMEOUT_S if timeout is None else timeout
    max_rows = DEFAULT_MAX_ROWS if max_rows is None else max_rows
    location = getattr(store, "location", "")
    if isinstance(store, EmbeddedStore) and Path(location).is_dir():
        return _run_in_worker(store, text, timeout, max_rows, substitutions, pool)
    return _run_in_thread(store, text, timeout, max_rows, substitutions)


def _run_in_worker(
    store: EmbeddedStore, text: str, timeout: float, max_rows: int, substitutions: dict | None, pool
) -> QueryResult:
    from kg.query_pool import PoolBusy, PoolError, QueryKilled, WorkerQueryError, shared_pool

    pool = pool or shared_pool()
    if not store.read_only:
        store.flush()  # the worker opens the folder read-only: let it see what this writer committed
    request = {
        "query": text, "union": True, "max_rows": max_rows, "prefixes": dict(PREFIXES),
        "substitutions": {getattr(k, "value", str(k)): str(as_term(v)) for k, v in (substitutions or {}).items()},
    }  # fmt: skip
    try:
        out = pool.run(store.location, request, timeout, generation=store_generation(store.location))
    except QueryKilled as exc:
        if exc.reason == "time":
            raise QueryTimeout(timeout_message(timeout)) from None
        if exc.reason == "memory":
            raise QueryMemoryLimit(memory_message(pool.budget)) from None
        raise QueryError(
            f"the query's worker process stopped unexpectedly (most likely it passed the memory limit of "
            f"{pool.budget >> 20:,} MB); narrow the query"
        ) from None
    except PoolBusy as exc:
        raise QueryTimeout(f"{exc} (waited {timeout:g} s)") from None
    except WorkerQueryError as exc:
        if exc.syntax:
            if _looks_like_update(text):
                check_read_only(text)
            raise QueryError(syntax_message(str(exc), text)) from None
        raise QueryError(f"query failed: {exc}") from None
    except PoolError as exc:
        raise QueryError(str(exc)) from None
    return result_from_worker(out, max_rows)


def result_from_worker(out, max_rows: int) -> QueryResult:
    """A QueryResult from a worker's answer (TSV rows or N-Triples), as pyoxigraph terms."""
    if out.kind == "ask":
        return QueryResult(kind="ask", boolean=bool(out.boolean))
    if out.kind == "select":
        solutions = ox.parse_query_results(out.payload, ox.QueryResultsFormat.TSV)
        cols = [v.value for v in solutions.variables]
        rows = [tuple(sol[c] for c in cols) for sol in solutions]
        return QueryResult(kind="select", columns=cols, rows=rows, truncated=out.truncated, max_rows=max_rows)
    rows = [(q.subject, q.predicate, q.object) for q in ox.parse(out.payload, ox.RdfFormat.N_TRIPLES)]
    return QueryResult(
        kind="graph", columns=["subject", "predicate", "object"], rows=rows, truncated=out.truncated, max_rows=max_rows
    )


def _run_in_thread(store: Store, text: str, timeout: float, max_rows: int, substitutions: dict | None) -> QueryResult:
    """A remote store: the server does the work (and bounds it); this thread only waits for the answer."""
    box: dict[str, object] = {}
    offset = sparql_prefixes().count("\n")

    def work() -> None:
        try:
            box["result"] = _materialise(store, sparql_prefixes() + text, max_rows, substitutions)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True, name="ecokg-query")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(timeout_message(timeout))
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, TimeoutError):  # a remote server's own time limit
            raise QueryTimeout(f"{exc}; narrow it (LIMIT, FILTER) or raise the server's limit") from exc
        if isinstance(exc, SyntaxError):
            raise QueryError(syntax_message(str(exc), text, offset)) from exc
        raise QueryError(f"query failed: {exc}") from exc  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def _materialise(store: Store, text: str, max_rows: int, substitutions: dict | None) -> QueryResult:
    res = store.query(text, substitutions=substitutions)
    if isinstance(res, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        cols = [v.value for v in res.variables]
        rows: list[tuple] = []
        truncated = False
        for sol in res:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(sol[c] for c in cols))
        return QueryResult(kind="select", columns=cols, rows=rows, truncated=truncated, max_rows=max_rows)
    rows = []
    truncated = False
    for t in res:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append((t.subject, t.predicate, t.object))
    return QueryResult(
        kind="graph", columns=["subject", "predicate", "object"], rows=rows, truncated=truncated, max_rows=max_rows
    )


def bind_terms(text: str, values: dict[str, object]) -> str:
    """Put constant terms in place of ``?name`` variables, serialised and escaped by pyoxigraph.

    Values are never pasted as raw text: strings become escaped literals (quotes,
    braces, '#' and newlines stay inside the literal) and IRIs are validated by
    ``NamedNode``. Constants in patterns also let Oxigraph use its indexes.
    """
    for name, value in values.items():
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ValueError(f"bad variable name {name!r}")
        term = as_term(value)
        text = re.sub(r"[?$]" + name + r"\b", lambda _m, t=str(term): t, text)
    return text


def as_term(value: object):
    """A pyoxigraph term for a Python value: terms pass through, http(s) strings become IRIs."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double"))
    return ox.Literal(str(value))


# ------------------------------------------------------------------ formats
def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    d: dict[str, str] = {"type": "literal", "value": term.value}
    if term.language:
        d["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = term.datatype.value
    return d


def to_sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [
        {c: _json_term(v) for c, v in zip(result.columns, row, strict=False) if v is not None} for row in result.rows
    ]
    return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}}, ensure_ascii=False)


def safe_csv_cell(value: object) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ gets a leading quote."""
    s = "" if value is None else str(value)
    if s and s[0] in "=+-@\t\r":
        return "'" + s
    return s


def to_csv(result: QueryResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    if result.kind == "ask":
        w.writerow(["boolean"])
        w.writerow([str(result.boolean).lower()])
        return buf.getvalue()
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([safe_csv_cell(term_value(v)) for v in row])
    return buf.getvalue()


def to_table(result: QueryResult, width: int = 60) -> str:
    """A plain-text table for the terminal."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    cells = [[_short(term_value(v), width) for v in row] for row in result.rows]
    widths = [len(c) for c in result.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]
    line = "  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=False))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) for row in cells]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out)


def _short(value: object, width: int) -> str:
    s = "" if value is None else str(value).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"
