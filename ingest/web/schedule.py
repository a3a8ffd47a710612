"""When runs start: per-source intervals or cron expressions, in one long-running loop.

The due computation is pure (sources, last start times, now -> due sources and
the next wake-up); the loop around it holds the scheduler lock for its life,
takes the run lock for each run, reloads the sources file before each check and
stops cleanly when asked.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from ingest.web.sources import DEFAULT_EVERY, Source, SourcesError, load_sources, parse_interval

log = logging.getLogger("ecokg.schedule")
MAX_SLEEP = 60.0  # wake at least this often to pick up edits of the sources file
RETRY_LOCKED = 30.0


def next_due(src: Source, last_started: float | None, now: float) -> float:
    """The time (epoch seconds) the source is next due; a source never run is due now."""
    if last_started is None:
        return now
    if src.cron:
        from croniter import croniter

        base = datetime.fromtimestamp(last_started, UTC)
        return float(croniter(src.cron, base).get_next(float))
    return last_started + parse_interval(src.every or DEFAULT_EVERY)


def last_complete_start(times: dict[str, tuple[float | None, float | None]]) -> dict[str, float | None]:
    """Per source, the start of its last run if that run completed; None (due now) if it was cut short."""
    return {
        name: started if started is not None and finished is not None and finished >= started else None
        for name, (started, finished) in times.items()
    }


def due_sources(sources: list[Source], last: dict[str, float | None], now: float) -> list[Source]:
    """The enabled sources whose time has come."""
    return [s for s in sources if s.enabled and next_due(s, last.get(s.name), now) <= now]


def seconds_to_next(sources: list[Source], last: dict[str, float | None], now: float) -> float:
    """How long to sleep before the next source is due (capped at MAX_SLEEP)."""
    times = [next_due(s, last.get(s.name), now) for s in sources if s.enabled]
    if not times:
        return MAX_SLEEP
    return max(0.0, min(MAX_SLEEP, min(times) - now))


RunDue = Callable[[list[Source]], None]  # runs the due sources; may raise LockedError/StoreLockedError


def schedule_loop(
    sources_path: str,
    last_started: Callable[[], dict[str, float | None]],
    run_due: RunDue,
    *,
    stop: threading.Event,
    clock: Callable[[], float] = time.time,
    max_runs: int | None = None,
    on_error: Callable[[str], None] = log.warning,
) -> int:
    """Start runs as sources come due until `stop` is set (or `max_runs` runs); returns runs started."""
    from ingest.web.lock import LockedError
    from kg.store import StoreLockedError

    runs = 0
    sources: list[Source] = []
    while not stop.is_set():
        try:
            sources = load_sources(sources_path).sources
        except SourcesError as exc:
            on_error(f"{exc} (keeping the previous list of sources)")
        now = clock()
        last = last_started()
        due = due_sources(sources, last, now)
        if due:
            try:
                run_due(due)
                runs += 1
            except (LockedError, StoreLockedError) as exc:
                on_error(f"run skipped: {exc}; trying again in {RETRY_LOCKED:.0f}s")
                stop.wait(RETRY_LOCKED)
                continue
            except Exception as exc:  # noqa: BLE001 - the scheduler outlives one bad run
                on_error(f"run failed: {type(exc).__name__}: {exc}; trying again in {RETRY_LOCKED:.0f}s")
                stop.wait(RETRY_LOCKED)
                continue
            if max_runs is not None and runs >= max_runs:
                break
            continue
        stop.wait(seconds_to_next(sources, last, now))
    return runs
