"""Fetch state beside the store: validators and content hash per URL, robots.txt, last run per source.

A small SQLite file (``<store>.fetch.sqlite``, or ``$ECOKG_FETCH_STATE``) rather
than the graph: it is bookkeeping, not knowledge, and it changes on runs that
change no article. A URL's row is written only after its article is committed
(or found unchanged), so a crash in between costs one refetch, never a lost or
duplicated article: the content hash in the store still says "unchanged".
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.web.robots import RobotsRules

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    article_key TEXT,
    outcome TEXT,
    checked_at REAL
);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    status INTEGER,
    body TEXT,
    fetched_at REAL
);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    source TEXT,
    item_url TEXT,
    reason TEXT,
    attempts INTEGER,
    next_try REAL
);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY,
    last_started REAL,
    last_finished REAL
);
"""


@dataclass
class UrlState:
    """What the last successful look at a URL found."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    article_key: str | None = None
    outcome: str | None = None
    checked_at: float = 0.0


@dataclass
class Failure:
    """A page that failed and waits for its next try (feed entries are retried even while the feed is 304)."""

    url: str  # canonical
    source: str
    item_url: str
    reason: str
    attempts: int
    next_try: float


#: Back-off between tries of a failed page: 10 minutes, doubling per failure, at most a day.
RETRY_BASE_S = 600.0
RETRY_MAX_S = 86400.0


def state_path_for(store_location: str) -> Path:
    """Where the fetch state of a store lives: $ECOKG_FETCH_STATE, else beside the store folder."""
    env = os.environ.get("ECOKG_FETCH_STATE")
    if env:
        return Path(env)
    if store_location.startswith(("http://", "https://")):
        return Path("data") / "remote-store.fetch.sqlite"
    p = Path(store_location)
    return p.with_name(p.name + ".fetch.sqlite")


class FetchState:
    """The SQLite file; safe to share between the threads of one run."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> FetchState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ urls
    def get(self, url: str) -> UrlState | None:
        with self._lock:
            row = self._db.execute(
                "SELECT url, etag, last_modified, content_hash, article_key, outcome, checked_at FROM urls WHERE url=?",
                (url,),
            ).fetchone()
        return UrlState(*row) if row else None

    def put(self, st: UrlState) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO urls VALUES (?, ?, ?, ?, ?, ?, ?)",
                (st.url, st.etag, st.last_modified, st.content_hash, st.article_key, st.outcome, st.checked_at or time.time()),
            )
            self._db.commit()

    def url_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM urls").fetchone()[0]

    # ------------------------------------------------------------------ failed pages
    def record_failure(self, url: str, source: str, item_url: str, reason: str, now: float | None = None) -> Failure:
        """One more failure of a page: the next try waits RETRY_BASE_S, doubled per earlier failure."""
        now = time.time() if now is None else now
        with self._lock:
            row = self._db.execute("SELECT attempts FROM failures WHERE url=?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            wait = min(RETRY_MAX_S, RETRY_BASE_S * 2 ** (attempts - 1))
            f = Failure(url, source, item_url, reason, attempts, now + wait)
            self._db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?, ?)",
                             (f.url, f.source, f.item_url, f.reason, f.attempts, f.next_try))
            self._db.commit()
        return f

    def clear_failure(self, url: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM failures WHERE url=?", (url,))
            self._db.commit()

    def failures(self, source: str | None = None) -> list[Failure]:
        with self._lock:
            rows = self._db.execute(
                "SELECT url, source, item_url, reason, attempts, next_try FROM failures"
                + (" WHERE source=?" if source is not None else "") + " ORDER BY url",
                (source,) if source is not None else (),
            ).fetchall()
        return [Failure(*r) for r in rows]

    # ------------------------------------------------------------------ robots
    def load_robots(self, origin: str) -> RobotsRules | None:
        with self._lock:
            row = self._db.execute(
                "SELECT origin, status, body, fetched_at FROM robots WHERE origin=?", (origin,)
            ).fetchone()
        return RobotsRules(*row) if row else None

    def save_robots(self, rules: RobotsRules) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?)",
                (rules.origin, rules.status, rules.body, rules.fetched_at),
            )
            self._db.commit()

    # ------------------------------------------------------------------ sources
    def source_times(self) -> dict[str, tuple[float | None, float | None]]:
        with self._lock:
            rows = self._db.execute("SELECT name, last_started, last_finished FROM sources").fetchall()
        return {name: (started, finished) for name, started, finished in rows}

    def mark_source(self, name: str, *, started: float | None = None, finished: float | None = None) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", (name,))
            if started is not None:
                self._db.execute("UPDATE sources SET last_started=? WHERE name=?", (started, name))
            if finished is not None:
                self._db.execute("UPDATE sources SET last_finished=? WHERE name=?", (finished, name))
            self._db.commit()
