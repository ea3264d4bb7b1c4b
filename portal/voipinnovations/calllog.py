"""Write one ProviderCall row per VI call, so that it outlives the caller's transaction.

The calls worth keeping most are the ones whose caller then fails: VI assigned the number,
then our own transaction rolled back. So where the row goes depends on the caller:

* No transaction of the caller's open (autocommit; a Celery task; a view outside
  `atomic`): the row is written on the normal connection and commits at once.
* The caller holds a transaction (PostgreSQL): the row is written on a short-lived second
  connection to the same database, in autocommit, so a later rollback cannot take it away.
  A lock timeout guards the one way this can block: the actor being a user row the
  caller's own transaction inserted and has not committed (the foreign-key check would wait
  for it). If the side write fails for any reason, the row is written inside the caller's
  transaction instead (kept if it commits) — better than nothing, and never an error.
* SQLite (the laptop default) has one writer at a time and the caller's IMMEDIATE
  transaction holds it, so a second connection would only wait for the busy timeout: there
  the row always shares the caller's transaction.
* Inside a test case's wrapping transaction (pytest-django's `django_db`, Django's
  `TestCase`) the row goes on the normal connection too: everything a test writes is rolled
  back with it, and a row committed beside it would leak into later tests (and wait on
  users the test created). Tests of the survival path use `django_db(transaction=True)`.

Writing a log row never raises into the caller: a failure is logged (without parameters).
"""

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.sql import InsertQuery

from portal.models import ProviderCall

logger = logging.getLogger(__name__)

SIDE_CONNECTION_LOCK_TIMEOUT = "2s"


def write_provider_call(**fields: Any) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    row = ProviderCall(**fields)
    try:
        if _caller_transaction_open(connection) and connection.vendor == "postgresql":
            try:
                _insert_on_side_connection(row)
                return
            except Exception as exc:  # noqa: BLE001 - fall back, never fail the caller
                logger.warning(
                    "ProviderCall for %s written inside the caller's transaction: side connection failed (%s)",
                    row.operation,
                    type(exc).__name__,
                )
        # A savepoint, so a failed insert cannot poison the caller's transaction.
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            row.save(force_insert=True)
    except Exception as exc:  # noqa: BLE001
        logger.error("Could not record ProviderCall for %s (%s)", row.operation, type(exc).__name__)


def _caller_transaction_open(connection) -> bool:
    if not connection.in_atomic_block:
        return not connection.get_autocommit()
    blocks = connection.atomic_blocks
    if any(getattr(block, "_from_testcase", False) for block in blocks):
        return False
    return True


def _insert_on_side_connection(row: ProviderCall) -> None:
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{SIDE_CONNECTION_LOCK_TIMEOUT}'")
        fields = [f for f in ProviderCall._meta.local_concrete_fields if not f.primary_key]
        query = InsertQuery(ProviderCall)
        query.insert_values(fields, [row])
        query.get_compiler(connection=side).execute_sql()
    finally:
        side.close()
