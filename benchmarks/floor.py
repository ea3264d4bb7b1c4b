"""The floor: what a sync cannot beat — fetch the audits, parse them as cheaply as lxml
allows, COPY the records into an unlogged scratch table. No diff, no history, no types.

Also the sandbox's own serving speed: auditDIDs fetched and thrown away.
"""

from __future__ import annotations

import time

import requests
from lxml import etree

NAMESPACE = "http://tempuri.org/"
# (operation, record element) of the two audits a full sync reads.
AUDITS = (("auditDIDs", "DID"), ("audit911", "DID911"))

_ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    '<{operation} xmlns="http://tempuri.org/"><login>{login}</login><secret>{secret}</secret></{operation}>'
    "</soap:Body></soap:Envelope>"
)


def _post(url: str, operation: str, *, login: str, secret: str) -> requests.Response:
    body = _ENVELOPE.format(operation=operation, login=login, secret=secret).encode()
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NAMESPACE}{operation}"'}
    response = requests.post(url, data=body, headers=headers, stream=True, timeout=(5, 600))
    response.raise_for_status()
    response.raw.decode_content = True
    return response


def sandbox_stream_seconds(url: str, *, login: str, secret: str) -> tuple[float, int]:
    """Seconds for the sandbox to serve auditDIDs in full, and the body's size in bytes."""
    started = time.perf_counter()
    size = 0
    with _post(url, "auditDIDs", login=login, secret=secret) as response:
        for chunk in response.iter_content(1 << 16):
            size += len(chunk)
    return time.perf_counter() - started, size


def run_floor(url: str, *, login: str, secret: str) -> dict:
    """Fetch, parse and COPY both audits; returns seconds and records."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection  # psycopg's own connection: COPY is not in Django's API
    records = 0
    started = time.perf_counter()
    for operation, record_tag in AUDITS:
        table = f"bench_floor_{operation.lower()}"
        with _post(url, operation, login=login, secret=secret) as response:
            records += _copy_records(
                raw, response.raw, table=table, record_tag=f"{{{NAMESPACE}}}{record_tag}"
            )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": records}


def _copy_records(raw, body, *, table: str, record_tag: str) -> int:
    records = _parsed(body, record_tag)
    first = next(records, None)
    if first is None:
        return 0
    columns = list(first)
    count = 1
    with raw.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
        column_list = ", ".join(f'"{name}" text' for name in columns)
        cursor.execute(f'CREATE UNLOGGED TABLE "{table}" ({column_list})')
        with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
            copy.write_row(list(first.values()))
            for record in records:
                copy.write_row([record.get(name) for name in columns])
                count += 1
    return count


def _parsed(body, record_tag: str):
    """One {local name: text} per record, the cheapest way lxml offers (DESIGN.md, figures)."""
    cut = len(NAMESPACE) + 2
    for _, element in etree.iterparse(body, events=("end",), tag=record_tag, huge_tree=True):
        yield {child.tag[cut:]: child.text for child in element}
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]
