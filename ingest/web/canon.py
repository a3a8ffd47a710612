"""Canonical URLs and what the head of an HTML page says about itself (charset, rel=canonical).

Pure functions: the same article reached through tracking links, mixed-case
hosts, default ports or fragments gets one key, hence one named graph.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "spm",
        "from",
        "share_token",
        "cmpid",
        "ncid",
        "ocid",
        "sr_share",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))""")


def _is_tracking(name: str) -> bool:
    n = name.lower()
    return n in TRACKING_PARAMS or n.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except UnicodeError:
        pass
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    path = re.sub(r"/{2,}", "/", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query), doseq=True), ""))


def same_site(a: str, b: str) -> bool:
    """Same host (ignoring a leading 'www.'): a page may only declare a canonical URL on its own site."""

    def host(u: str) -> str:
        h = (urlsplit(u).hostname or "").lower()
        return h[4:] if h.startswith("www.") else h

    return host(a) == host(b) and bool(host(a))


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag in its first 4 KiB."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _attrs(tag: str) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(tag):
        out[m.group(1).lower()] = next(g for g in (m.group(3), m.group(4), m.group(5)) if g is not None)
    return out


def rel_canonical(html: str, base_url: str) -> str | None:
    """The absolute URL of <link rel="canonical">, if the page declares one (first 64 KiB)."""
    for m in _LINK_TAG.finditer(html[:65536]):
        attrs = _attrs(m.group(0))
        rels = attrs.get("rel", "").lower().split()
        if "canonical" in rels and attrs.get("href"):
            absolute = urljoin(base_url, attrs["href"].strip())
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
    return None


def article_key(final_url: str, html: str | None) -> str:
    """The article's identity: its rel=canonical URL when on the same site, else its own URL, canonicalised."""
    if html:
        declared = rel_canonical(html, final_url)
        if declared and same_site(declared, final_url):
            return canonical_url(declared)
    return canonical_url(final_url)
