"""An overall deadline for one VI call, whatever VI does on the wire.

A socket read timeout applies to each read: a VI answer dripping one byte every few seconds
never trips it, and held a call (and the gunicorn worker serving the page) for minutes. So
every call runs under a `Deadline`: when it passes, a timer shuts the call's socket down,
which ends any read blocked on it at once — while waiting for the headers, or anywhere in
the body, zeep's or the streaming parser's. The error then says "did not finish in time".

The socket is found through our own connection classes (`DeadlineAdapter`, mounted on the
client's session): each hands its socket to the deadline of the call being made in its
thread (a context variable) when it connects or sends a request.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.answer_seconds = seconds  # the part of it a message names (callers may narrow it)
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            _shut(self._socket)

    def start(self) -> Deadline:
        self._timer.start()
        return self

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


_current: ContextVar[Deadline | None] = ContextVar("vi_call_deadline", default=None)


@contextmanager
def sending(limit: Deadline) -> Iterator[Deadline]:
    """Within the block, the connection that sends the request is put under `limit`.

    Only around the send: a streamed answer is read later, from a generator, possibly in
    another context; the timer goes on until `limit.cancel()` either way.
    """
    token = _current.set(limit)
    try:
        yield limit
    finally:
        _current.reset(token)


class _Registering(HTTPConnection):
    """Hands the connection's socket to the current deadline once the request is sent.

    Taken then, not at expiry: http.client lets go of `sock` as soon as a response says
    "Connection: close" (the response keeps reading from it), so it may be None by then.
    Connecting itself is bounded by the connect timeout. (A mixin for both connection
    classes: HTTPS's `connect` comes before HTTP's in their method order.)
    """

    def connect(self):
        super().connect()
        current = _current.get()
        if current is not None:
            current.attach(self.sock)

    def request(self, *args, **kwargs):  # urllib3 2: called once per request on this connection
        current = _current.get()
        if current is not None and self.sock is not None:
            current.attach(self.sock)  # a pooled connection, already connected
        return super().request(*args, **kwargs)


class DeadlineHTTPConnection(_Registering, HTTPConnection):
    pass


class DeadlineHTTPSConnection(_Registering, HTTPSConnection):
    pass


class _DeadlineHTTPPool(HTTPConnectionPool):
    ConnectionCls = DeadlineHTTPConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = DeadlineHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections obey the current call's `deadline`."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _DeadlineHTTPPool,
            "https": _DeadlineHTTPSPool,
        }
