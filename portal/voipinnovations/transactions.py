"""VI is never called inside an open database transaction.

A VI call takes tens of milliseconds to minutes. Made inside `transaction.atomic()` it holds
row locks for that long, and when the transaction later rolls back the mirror forgets a
change VI has made. The house rule (DESIGN.md, "the two paths") is: call VI first, outside
any transaction, then write the mirror and its history in one atomic block.

The client checks the rule before every call. Tests (and `VI_REFUSE_CALLS_IN_TRANSACTION`)
make a breach an exception, so a regression fails loudly; elsewhere it is logged as an
error and the call goes ahead, so a running portal is never stopped by its own bookkeeping.
"""

import logging

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


class CalledInsideTransaction(RuntimeError):
    """A VI call was made while a database transaction was open."""


def _open_transaction_alias() -> str | None:
    for connection in connections.all(initialized_only=True):
        # A test case's own wrapping transaction (pytest-django's `django_db`) is not the
        # caller's: Django marks those blocks `_from_testcase`, as its `durable` check does.
        if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            return connection.alias
        if connection.in_atomic_block and not connection.atomic_blocks:
            return connection.alias  # autocommit switched off by hand
    return None


def refuse_inside_transaction(operation: str) -> None:
    alias = _open_transaction_alias()
    if alias is None:
        return
    message = (
        f"VI operation {operation} called inside an open transaction on database {alias!r}: "
        "call VI first, then write the mirror in one atomic block."
    )
    if getattr(settings, "VI_REFUSE_CALLS_IN_TRANSACTION", False):
        raise CalledInsideTransaction(message)
    logger.error(message)
