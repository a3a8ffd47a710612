"""The sources file (``corpus/sources.toml``): what to ingest, how often, with which hints.

Reading validates everything and names the line of the first problem, so a typo
is caught when the file is edited, not hours later in the scheduler. Editing
(``add``/``remove``) goes through tomlkit to keep the user's comments and layout.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SOURCES = "corpus/sources.toml"
KINDS = ("feed", "url", "sitemap", "folder")
LANGS = ("en", "zh")
SOURCE_KEYS = frozenset(
    {"name", "kind", "url", "path", "tags", "lang", "every", "cron", "allow_private", "max_items", "enabled"}
)
FETCH_KEYS = frozenset(
    {
        "user_agent",
        "connect_timeout",
        "timeout",
        "deadline",
        "max_bytes",
        "delay",
        "workers",
        "max_redirects",
        "retries",
        "backoff",
        "max_retry_after",
    }
)
DEFAULT_EVERY = "1d"
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class FetchSettings:
    """Run-wide fetch settings (``[fetch]`` table); defaults are polite for real sites."""

    user_agent: str | None = None
    connect_timeout: float = 5.0
    timeout: float = 15.0  # seconds between two bytes of a response
    deadline: float = 60.0  # seconds for a whole response, against slow-drip servers
    max_bytes: int = 5 * 1024 * 1024
    delay: float = 1.0  # minimum seconds between two requests to one host
    workers: int = 4
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 120.0


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    kind: str
    url: str | None = None
    path: str | None = None
    tags: tuple[str, ...] = ()
    lang: str | None = None
    every: str | None = None
    cron: str | None = None
    allow_private: bool = False
    max_items: int | None = None
    enabled: bool = True
    line: int = 0  # where the entry starts in the file, for messages

    @property
    def target(self) -> str:
        return self.url or self.path or ""

    @property
    def schedule(self) -> str:
        """The schedule as written: 'every 6h' or 'cron 0 */6 * * *'."""
        if self.cron:
            return f"cron {self.cron}"
        return f"every {self.every or DEFAULT_EVERY}"


@dataclass
class SourcesFile:
    path: Path
    sources: list[Source] = field(default_factory=list)
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def by_name(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


def default_sources_path() -> str:
    return os.environ.get("ECOKG_SOURCES") or DEFAULT_SOURCES


def parse_interval(text: str) -> float:
    """Seconds in an interval such as '90s', '15m', '6h', '1d' or '2w'; ValueError otherwise."""
    m = _INTERVAL.match(text)
    if not m:
        raise ValueError(f"bad interval {text!r}: use a number and s, m, h, d or w (e.g. '6h')")
    seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    if seconds <= 0:
        raise ValueError(f"bad interval {text!r}: must be positive")
    return seconds


def check_cron(expr: str) -> None:
    from croniter import croniter

    if not croniter.is_valid(expr):
        raise ValueError(f"bad cron expression {expr!r}")


def _table_lines(text: str) -> tuple[list[int], int | None]:
    """Line numbers where each [[source]] table starts, and where [fetch] starts."""
    starts, fetch_line = [], None
    for i, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if re.match(r"^\[\[\s*source\s*\]\]", s):
            starts.append(i)
        elif re.match(r"^\[\s*fetch\s*\]", s):
            fetch_line = i
    return starts, fetch_line


def _key_line(text: str, start: int, key: str) -> int:
    """The line of `key = ...` in the table starting at `start` (or the table line)."""
    lines = text.splitlines()
    for i in range(start, len(lines)):
        s = lines[i].strip()
        if s.startswith("["):
            break
        if re.match(rf"^{re.escape(key)}\s*=", s):
            return i + 1
    return start


def validate_url(url: str) -> str:
    """An absolute http(s) URL with a host, or ValueError."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise ValueError(f"malformed URL {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"only http and https URLs are fetched, not {url!r}")
    if not parts.hostname:
        raise ValueError(f"URL without a host: {url!r}")
    return url.strip()


def default_name(kind: str, target: str) -> str:
    """A readable name from the URL's host and path or the folder name."""
    if kind == "folder":
        base = Path(target).name or "folder"
    else:
        p = urlsplit(target)
        base = (p.hostname or "") + p.path
    slug = re.sub(r"[^\w]+", "-", base.casefold()).strip("-")
    return slug[:60] or kind


def source_from_dict(raw: dict, line: int = 0, where: str = "") -> Source:
    """Validate one source table; ValueError with the offending key in .args[1] if known."""

    def bad(key: str, msg: str) -> ValueError:
        return ValueError(msg, key)

    unknown = set(raw) - SOURCE_KEYS
    if unknown:
        k = sorted(unknown)[0]
        raise bad(k, f"unknown key {k!r} (known: {', '.join(sorted(SOURCE_KEYS))})")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise bad("kind", f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    url = raw.get("url")
    path = raw.get("path")
    if kind == "folder":
        if not isinstance(path, str) or not path:
            raise bad("path", "a folder source needs path = \"...\"")
        if url is not None:
            raise bad("url", "a folder source takes path, not url")
    else:
        if not isinstance(url, str) or not url:
            raise bad("url", f"a {kind} source needs url = \"...\"")
        try:
            url = validate_url(url)
        except ValueError as exc:
            raise bad("url", str(exc)) from None
        if path is not None:
            raise bad("path", f"a {kind} source takes url, not path")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("tags", "tags must be a list of strings")
    lang = raw.get("lang")
    if lang is not None and lang not in LANGS:
        raise bad("lang", f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    every, cron = raw.get("every"), raw.get("cron")
    if every is not None and cron is not None:
        raise bad("cron", "give either every or cron, not both")
    if every is not None:
        if not isinstance(every, str):
            raise bad("every", "every must be a string such as \"6h\"")
        try:
            parse_interval(every)
        except ValueError as exc:
            raise bad("every", str(exc)) from None
    if cron is not None:
        try:
            if not isinstance(cron, str):
                raise ValueError("cron must be a string such as \"0 */6 * * *\"")
            check_cron(cron)
        except ValueError as exc:
            raise bad("cron", str(exc)) from None
    for key in ("allow_private", "enabled"):
        if key in raw and not isinstance(raw[key], bool):
            raise bad(key, f"{key} must be true or false")
    max_items = raw.get("max_items")
    if max_items is not None and (not isinstance(max_items, int) or isinstance(max_items, bool) or max_items < 1):
        raise bad("max_items", "max_items must be a positive integer")
    name = raw.get("name") or default_name(kind, url or path)
    if not isinstance(name, str):
        raise bad("name", "name must be a string")
    return Source(
        name=name,
        kind=kind,
        url=url,
        path=path,
        tags=tuple(tags),
        lang=lang,
        every=every,
        cron=cron,
        allow_private=bool(raw.get("allow_private", False)),
        max_items=max_items,
        enabled=bool(raw.get("enabled", True)),
        line=line,
    )


def _fetch_settings(raw: dict) -> FetchSettings:
    unknown = set(raw) - FETCH_KEYS
    if unknown:
        k = sorted(unknown)[0]
        raise ValueError(f"unknown key {k!r} (known: {', '.join(sorted(FETCH_KEYS))})", k)
    defaults = FetchSettings()
    values: dict = {}
    for key, value in raw.items():
        want = type(getattr(defaults, key))
        if key == "user_agent":
            if not isinstance(value, str) or not value.strip():
                raise ValueError("user_agent must be a non-empty string", key)
            values[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{key} must be a number", key)
        if value < 0 or (key in ("workers", "max_bytes") and value < 1):
            raise ValueError(f"{key} is out of range: {value}", key)
        values[key] = want(value)
    return FetchSettings(**values)


def toml_error_position(message: str, text: str) -> tuple[int, int, str]:
    """(line, column, reason) of a tomllib error: "(at line 4, column 8)", or "(at end of document)",
    which is the last line of the text."""
    why = re.sub(r"\s*\(at [^)]*\)\s*$", "", message)
    if m := re.search(r"line (\d+), column (\d+)", message):
        return int(m.group(1)), int(m.group(2)), why
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return len(lines), len(lines[-1]) + 1, why


def parse_sources_text(text: str, path: Path) -> SourcesFile:
    """Parse and validate the text of a sources file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col, why = toml_error_position(str(exc), text)
        raise SourcesError(f"{path}:{line}:{col}: not valid TOML: {why}") from None
    extra = set(data) - {"source", "fetch"}
    if extra:
        raise SourcesError(f"{path}:1: unknown top-level key {sorted(extra)[0]!r} (expected [[source]] or [fetch])")
    starts, fetch_line = _table_lines(text)
    fetch = FetchSettings()
    if "fetch" in data:
        if not isinstance(data["fetch"], dict):
            raise SourcesError(f"{path}:{fetch_line or 1}: fetch must be a table [fetch]")
        try:
            fetch = _fetch_settings(data["fetch"])
        except ValueError as exc:
            line = _key_line(text, fetch_line, exc.args[1]) if fetch_line and len(exc.args) > 1 else fetch_line or 1
            raise SourcesError(f"{path}:{line}: [fetch]: {exc.args[0]}") from None
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise SourcesError(f"{path}:1: source must be an array of tables: write [[source]]")
    sources: list[Source] = []
    names: dict[str, int] = {}
    for i, raw in enumerate(raw_sources):
        start = starts[i] if i < len(starts) else 1
        try:
            src = source_from_dict(raw, start)
        except ValueError as exc:
            line = _key_line(text, start, exc.args[1]) if len(exc.args) > 1 else start
            raise SourcesError(f"{path}:{line}: source #{i + 1}: {exc.args[0]}") from None
        if src.name in names:
            raise SourcesError(f"{path}:{start}: duplicate source name {src.name!r} (first at line {names[src.name]})")
        names[src.name] = start
        sources.append(src)
    return SourcesFile(path=path, sources=sources, fetch=fetch)


def load_sources(path: str | os.PathLike[str] | None = None) -> SourcesFile:
    """Read and validate the sources file; a missing file is an empty list of sources."""
    p = Path(path or default_sources_path())
    if not p.exists():
        return SourcesFile(path=p)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{p}: unreadable: {exc}") from None
    sf = parse_sources_text(text, p)
    sf.sources = [_resolve_folder(s, p.parent) for s in sf.sources]
    return sf


def _resolve_folder(src: Source, base: Path) -> Source:
    """A folder given relative to the sources file, as a path that works from any directory."""
    if src.kind != "folder" or Path(src.path).is_absolute():
        return src
    from dataclasses import replace

    return replace(src, path=str((base / src.path).resolve()))


def add_source(path: str | os.PathLike[str], raw: dict, *, resolver=None) -> Source:
    """Append a validated source to the file, keeping its comments; returns the source.

    A URL that resolves to a loopback, private, link-local or metadata address is
    refused here already (unless the source says allow_private), for the CLI and the app alike.
    """
    import tomlkit

    from ingest.web.safety import UnsafeURLError, check_url, system_resolver

    p = Path(path)
    current = load_sources(p)
    try:
        src = source_from_dict({k: v for k, v in raw.items() if v not in (None, [], ())})
    except ValueError as exc:
        raise SourcesError(str(exc.args[0])) from None
    if src.url and not src.allow_private:
        try:
            check_url(src.url, resolver=resolver or system_resolver)
        except UnsafeURLError as exc:
            raise SourcesError(str(exc)) from None
    if current.by_name(src.name):
        raise SourcesError(f"{p}: a source named {src.name!r} exists already")
    if any(s.target == src.target and s.kind == src.kind for s in current.sources):
        raise SourcesError(f"{p}: {src.target} is already listed")
    doc = tomlkit.parse(p.read_text(encoding="utf-8")) if p.exists() else tomlkit.document()
    table = tomlkit.table()
    table.add("name", src.name)
    table.add("kind", src.kind)
    if src.url:
        table.add("url", src.url)
    if src.path:
        table.add("path", src.path)
    if src.tags:
        table.add("tags", list(src.tags))
    if src.lang:
        table.add("lang", src.lang)
    if src.every:
        table.add("every", src.every)
    if src.cron:
        table.add("cron", src.cron)
    if src.allow_private:
        table.add("allow_private", True)
    if src.max_items:
        table.add("max_items", src.max_items)
    if "source" not in doc:
        doc.append("source", tomlkit.aot())
    doc["source"].append(table)
    text = tomlkit.dumps(doc)
    parse_sources_text(text, p)  # never write a file we could not read back
    _write_atomic(p, text)
    return src


def remove_source(path: str | os.PathLike[str], ref: str) -> Source:
    """Remove the source named `ref` (or whose URL/path is `ref`); returns it."""
    import tomlkit

    p = Path(path)
    current = load_sources(p)
    folder = str((p.parent / ref).resolve())
    idx = next((i for i, s in enumerate(current.sources) if ref in (s.name, s.url) or s.path in (ref, folder)), None)
    if idx is None:
        raise SourcesError(f"{p}: no source named {ref!r}")
    doc = tomlkit.parse(p.read_text(encoding="utf-8"))
    del doc["source"][idx]
    text = tomlkit.dumps(doc)
    parse_sources_text(text, p)
    _write_atomic(p, text)
    return current.sources[idx]


def _write_atomic(p: Path, text: str) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, p)
