"""An exclusive, non-blocking lock file so two runs (or two schedulers) never overlap.

``fcntl.flock`` is released by the kernel when the holder dies, even by SIGKILL,
so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockedError(RuntimeError):
    """Another process holds the lock; str() names it."""


def lock_path_for(store_location: str, what: str = "ingest") -> Path:
    """The lock file of a store: beside the store folder (or in data/ for a remote store)."""
    if store_location.startswith(("http://", "https://")):
        return Path("data") / f"remote-store.{what}.lock"
    p = Path(store_location)
    return p.with_name(f"{p.name}.{what}.lock")


class RunLock:
    """Hold with ``with RunLock(path):``; raises LockedError at once when taken."""

    def __init__(self, path: str | os.PathLike[str], what: str = "an ingest run") -> None:
        self.path = Path(path)
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise LockedError(f"{self.what} is already in progress{who}; lock file {self.path}") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
