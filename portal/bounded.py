"""Bounded concurrency to VI inside bulk jobs: a few calls in flight, never more than the setting.

A bulk job spends nearly all its time waiting on VI, one call after another. `run_bounded`
runs a chunk's items on up to `VI_MAX_CONCURRENCY` threads, and a process-wide semaphore keeps
the total in flight at or under that number whatever else in the process (another job, a
thread of a threaded worker) is calling too.

When VI answers with transport errors (unreachable, timed out) every thread waits before its
next call, longer after each error and no longer after a success: a struggling VI is not
hammered, and a job against a dead VI does not fail thousands of rows in a second. The item
that met the error keeps its own outcome: nothing is retried here (a 911 insert is a write).

Each thread has its own Django database connection, closed when the thread ends, and runs in a
copy of the caller's context (contextvars: who is calling, for ProviderCall). Inside a
transaction (tests, or a caller's atomic block) other connections would not see uncommitted
rows, so the items then run one at a time in the calling thread.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db import connection, connections

Item = TypeVar("Item")

FIRST_PAUSE = 0.5  # seconds after the first transport error
LONGEST_PAUSE = 10.0

_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def limit() -> int:
    return max(1, int(getattr(settings, "VI_MAX_CONCURRENCY", 8)))


def slots() -> threading.BoundedSemaphore:
    """The process-wide semaphore (rebuilt if the setting changed, as tests do)."""
    global _slots
    with _slots_lock:
        if _slots is None or _slots[0] != limit():
            _slots = (limit(), threading.BoundedSemaphore(limit()))
        return _slots[1]


class Backoff:
    """Shared pause after transport errors: doubles per error, cleared by a success."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pause = 0.0
        self.not_before = 0.0

    def wait(self) -> None:
        with self._lock:
            delay = self.not_before - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def failed(self) -> None:
        with self._lock:
            self.pause = min(LONGEST_PAUSE, self.pause * 2 if self.pause else FIRST_PAUSE)
            self.not_before = time.monotonic() + self.pause

    def succeeded(self) -> None:
        with self._lock:
            self.pause, self.not_before = 0.0, 0.0


backoff = Backoff()  # one per process, like the semaphore


def run_bounded(
    items: Iterable[Item], work: Callable[[Item], bool], *, stop: Callable[[], bool] | None = None
) -> int:
    """Call `work(item)` for each item, at most `VI_MAX_CONCURRENCY` at once process-wide.

    `work` returns True when VI could not be reached for that item (a transport error it has
    already recorded as the item's outcome); that makes every thread pause before its next
    call. `stop()`, asked before each item, ends the run early (a cancelled job); items not
    started are left untouched. Returns how many items were run.
    """
    pending = list(items)
    if not pending:
        return 0
    taken = _Counter(pending)
    context = contextvars.copy_context()

    def loop() -> None:
        while True:
            item = taken.next(stop)
            if item is _DONE:
                return
            semaphore = slots()
            backoff.wait()
            with semaphore:
                unreachable = work(item)
            backoff.failed() if unreachable else backoff.succeeded()

    if connection.in_atomic_block or limit() == 1 or len(pending) == 1:
        context.copy().run(loop)
        return taken.started
    threads = [
        threading.Thread(
            target=_own_connection,
            args=(context.copy(), loop, taken),
            name=f"vi-bulk-{index}",
            daemon=True,
        )
        for index in range(min(limit(), len(pending)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken.raise_first_error()
    return taken.started


_DONE = object()


class _Counter:
    """Hands the items out one by one to the threads; keeps the first unexpected error."""

    def __init__(self, items: list) -> None:
        self._items = iter(items)
        self._lock = threading.Lock()
        self.started = 0
        self.error: BaseException | None = None

    def next(self, stop: Callable[[], bool] | None):
        with self._lock:
            if self.error is not None or (stop is not None and stop()):
                return _DONE
            item = next(self._items, _DONE)
            if item is not _DONE:
                self.started += 1
            return item

    def fail(self, error: BaseException) -> None:
        with self._lock:
            self.error = self.error or error

    def raise_first_error(self) -> None:
        if self.error is not None:
            raise self.error


def _own_connection(
    context: contextvars.Context, loop: Callable[[], None], taken: _Counter
) -> None:
    """A thread's body: the loop, then its database connection closed (never leaked)."""
    try:
        context.run(loop)
    except BaseException as error:  # a bug in one row: stop the others, raise in the caller
        taken.fail(error)
    finally:
        connections.close_all()
