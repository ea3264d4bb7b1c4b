"""The benchmark's own PostgreSQL database: created fresh, migrated, emptied between phases."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal"

# The mirror tables a sync writes: their tuple counters tell what really reached the disk.
MIRROR_TABLES = ("dids_did", "e911_location")


def database_url(base_url: str, name: str) -> str:
    """`base_url` (the DATABASE_URL the caller gave) pointing at database `name` instead."""
    parts = urlsplit(base_url or DEFAULT_URL)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(url: str) -> None:
    """Drop and create the database in `url` (it is the benchmark's alone)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def empty_domain_tables() -> None:
    """Start a phase from nothing: numbers, 911, history, runs and the provider log."""
    from django.apps import apps
    from django.db import connection

    tables = [
        model._meta.db_table
        for label in ("dids", "e911")
        for model in apps.get_app_config(label).get_models()
    ]
    tables += ["portal_changerecord", "portal_syncrun", "portal_providercall"]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("VACUUM ANALYZE")


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def tuple_writes(tables=MIRROR_TABLES) -> int:
    """Rows inserted, updated or deleted in `tables` since the counters started.

    Counters of other backends are flushed when they end (our sync children have exited),
    at most a second late: read until two readings agree.
    """
    from django.db import connection

    previous = None
    time.sleep(0.5)
    for _ in range(20):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"
                " WHERE relname = ANY(%s)",
                [list(tables)],
            )
            current = int(cursor.fetchone()[0])
        if current == previous:
            return current
        previous = current
        time.sleep(0.3)
    return previous or 0
