"""Reading article files: bytes to clean text, whatever the encoding or format.

Every failure is an ``ArticleError`` naming the path and the reason, so a bad
file is reported and skipped without touching what is already stored.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.dates import parse_date, publication_date
from ingest.front_matter import split_front_matter
from kg.model import Article

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
MAX_FILE_BYTES = 5 * 1024 * 1024
# Longer texts are refused: spaCy's parser needs memory in proportion, and no news article is this long.
MAX_ARTICLE_CHARS = 1_000_000
# Below this many characters of main text, an HTML page holds no article (menus, cookie walls).
MIN_MAIN_TEXT_CHARS = 80
# Tried in order after UTF-8; GB18030 is a superset of GBK and GB2312.
_FALLBACK_ENCODINGS = ("gb18030", "big5")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class ArticleError(ValueError):
    """A file that cannot become an article; str() says which and why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    """Many NUL or control bytes (outside UTF-16) mean this is not text; a few stray ones in a text do not
    (``clean_text`` drops them)."""
    sample = data[:8192]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 50) or controls * 10 > len(sample)


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") / len(text)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode article bytes: BOM, declared charset, UTF-8, then GB18030/Big5 by plausibility.

    GBK and Big5 byte ranges overlap, so both are tried and the decoding whose
    characters are common CJK (by charset-normalizer's judgement) wins.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    if declared:
        try:
            return data.decode(_normalise_encoding(declared))
        except (LookupError, UnicodeError, ValueError):  # unknown, unfit ('punycode') or malformed ('a\0') names
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[str, str]] = []
    for enc in _FALLBACK_ENCODINGS:
        try:
            candidates.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return candidates[0][1]
    if candidates:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=[c for c, _ in candidates]).best()
        if best is not None:
            chosen = _normalise_encoding(best.encoding)
            for enc, text in candidates:
                if _normalise_encoding(enc) == chosen:
                    return text
        return max(candidates, key=lambda c: _cjk_share(c[1]))[1]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        # UTF-8 with a stray byte or a character cut at the end fits no encoding: keep it, marking the
        # damage with U+FFFD, when the damage is that small; otherwise it is not text we can read.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= max(8, len(text) // 200):
            return text
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no encoding fits")
    return str(best)


def _normalise_encoding(name: str) -> str:
    name = name.strip().lower().replace("_", "-")
    if name in {"gb2312", "gbk", "gb-2312", "x-gbk", "cp936"}:
        return "gb18030"
    if name in {"big5-hkscs", "cp950", "big5hkscs"}:
        return "big5"
    return codecs.lookup(name).name


def clean_text(text: str) -> str:
    """Normalise line ends and drop control characters; keep everything else verbatim."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip("\ufeff")


def first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:300] if len(line) <= 300 else None
    return None


def html_to_article_fields(html: str, url: str | None = None) -> dict:
    """Main text and metadata of an HTML page through trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {
        "text": data.get("text") or "",
        "title": data.get("title"),
        "date": data.get("date"),
        "author": data.get("author"),
        "lang": data.get("language"),
    }


def read_article(path: str | Path, source: str | None = None) -> Article:
    """Read one article file (.txt, .md or .html) into an Article, or raise ArticleError."""
    p = Path(path)
    src = source or str(path)
    if p.suffix.lower() not in ARTICLE_SUFFIXES:
        raise ArticleError(src, f"unsupported file type {p.suffix or '(none)'}; expected .txt, .md or .html")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleError(src, f"file too large ({size:,} bytes > {MAX_FILE_BYTES:,})")
        data = p.read_bytes()
    except ArticleError:
        raise
    except OSError as exc:
        raise ArticleError(src, f"unreadable: {exc.strerror or exc}") from exc
    return article_from_bytes(data, src, key=p.resolve().as_uri(), is_html=p.suffix.lower() in {".html", ".htm"})


def article_from_bytes(
    data: bytes,
    source: str,
    *,
    key: str,
    is_html: bool = False,
    declared_charset: str | None = None,
    url: str | None = None,
) -> Article:
    """Bytes to an Article: checks emptiness, binary content and encoding; HTML via trafilatura."""
    if len(data) > MAX_FILE_BYTES:  # refused before decoding or parsing: memory stays bounded whatever arrives
        raise ArticleError(source, f"too large ({len(data):,} bytes > {MAX_FILE_BYTES:,})")
    if not data.strip():
        raise ArticleError(source, "empty file")
    if looks_binary(data):
        raise ArticleError(source, "binary content, not text")
    try:
        text = decode_bytes(data, declared_charset)
    except (UnicodeError, LookupError, ValueError) as exc:
        raise ArticleError(source, f"undecodable text ({exc})") from exc
    text = clean_text(text)
    title = date = author = lang = None
    if is_html:
        fields = html_to_article_fields(text, url)
        text = clean_text(fields.get("text") or "").strip()
        if len(text) < MIN_MAIN_TEXT_CHARS:
            raise ArticleError(source, "no main text found in the HTML page")
        title, date, author, lang = fields.get("title"), fields.get("date"), fields.get("author"), fields.get("lang")
    else:
        meta, text = split_front_matter(text)
        title = meta.get("title") or first_line_title(text)
        date, lang, author = meta.get("date"), meta.get("lang"), meta.get("author")
        url = url or meta.get("url")
    # metadata first (feed, HTML, front matter), else a dateline or a date in the first paragraph
    date = parse_date(date) or publication_date(text)
    if not text.strip():
        raise ArticleError(source, "empty after decoding")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(source, f"text too long ({len(text):,} characters > {MAX_ARTICLE_CHARS:,})")
    if lang:
        lang = lang.strip().lower().split("-")[0]
    if lang and lang not in ("en", "zh"):
        lang = None
    return Article(source=source, text=text, key=key, title=title, date=date, lang=lang, url=url, author=author)


# In a folder, these are the folder's own papers, not articles; named explicitly, they are read.
NOT_ARTICLES = frozenset({"readme", "license", "licence", "copying", "changelog", "changes", "contributing"})


def is_folder_article(path: Path, root: Path) -> bool:
    """A file found in a folder is an article unless hidden (or under a hidden folder) or README-like."""
    parts = path.relative_to(root).parts
    return (
        path.suffix.lower() in ARTICLE_SUFFIXES
        and not any(part.startswith(".") for part in parts)
        and path.stem.lower() not in NOT_ARTICLES
    )


def iter_article_files(paths: list[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders into article files (sorted); report paths that are missing."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and is_folder_article(f, p)))
        elif p.is_file():
            files.append(p)
        else:
            missing.append((str(raw), "no such file or folder"))
    return files, missing
