"""robots.txt per origin, parsed with urllib.robotparser, cached with its crawl-delay.

Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one
that cannot be fetched (5xx, network error) disallows everything for now.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

ROBOTS_TTL = 24 * 3600.0
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed

# (origin) -> (status, body); status 0 means the server could not be reached.
RobotsFetch = Callable[[str], tuple[int, bytes]]


@dataclass
class RobotsRules:
    """The parsed rules of one origin."""

    origin: str
    status: int
    body: str
    fetched_at: float

    def __post_init__(self) -> None:
        self._parser = parse_robots(self.body)

    def allows(self, url: str, agent: str) -> bool:
        if 400 <= self.status < 500:
            return True
        if self.status != 200:
            return False
        return self._parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.status != 200:
            return None
        delay = self._parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def parse_robots(text: str) -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(text.splitlines())
    return rp


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc.lower()}"


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups match against ('ecokg' of 'ecokg/0.1 (+...)')."""
    return user_agent.split("/", 1)[0].split()[0]


class RobotsCache:
    """Rules per origin, fetched once per TTL; thread-safe (one fetch per origin at a time)."""

    def __init__(
        self,
        fetch: RobotsFetch,
        user_agent: str,
        *,
        ttl: float = ROBOTS_TTL,
        load: Callable[[str], RobotsRules | None] | None = None,
        save: Callable[[RobotsRules], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fetch = fetch
        self.agent = agent_token(user_agent)
        self._ttl = ttl
        self._load, self._save = load, save
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            now = self._clock()
            cached = self._rules.get(origin)
            if cached is None and self._load is not None:
                cached = self._load(origin)
            if cached is not None and now - cached.fetched_at < self._ttl:
                self._rules[origin] = cached
                return cached
            status, body = self._fetch(origin + "/robots.txt")
            text = body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace") if status == 200 else ""
            rules = RobotsRules(origin=origin, status=status, body=text, fetched_at=now)
            self._rules[origin] = rules
            if self._save is not None and status != 0:
                self._save(rules)
            return rules

    def allows(self, url: str) -> bool:
        return self.rules(url).allows(url, self.agent)

    def crawl_delay(self, url: str) -> float | None:
        return self.rules(url).crawl_delay(self.agent)
