"""A requests adapter that checks the address it actually connected to before sending anything.

Resolving a name and checking its addresses (``safety.check_url``) leaves a gap:
the name can resolve differently a moment later, when the connection is made
(DNS rebinding). Here the connected socket's peer is checked right after
``connect()``, before one byte of the request is sent.
"""

from __future__ import annotations

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ingest.web.safety import address_problem


class UnsafePeerError(OSError):
    """The connection reached a loopback, private, link-local or metadata address."""


def _check(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    try:
        peer = sock.getpeername()[0]
    except OSError:
        return
    problem = address_problem(peer)
    if problem:
        conn.close()
        raise UnsafePeerError(f"connected to {peer}, {problem}")


class _GuardedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _check(self)


class _GuardedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _check(self)


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """Mount on a session for public-only fetching."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


def unsafe_peer(exc: BaseException) -> UnsafePeerError | None:
    """The UnsafePeerError somewhere inside a requests/urllib3 exception, if any."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        e = stack.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, UnsafePeerError):
            return e
        stack.extend([e.__cause__, e.__context__, getattr(e, "reason", None), *e.args])
    return None
