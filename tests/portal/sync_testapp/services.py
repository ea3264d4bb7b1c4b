"""The test sync kind "gadgets": reconciles Gadget against whatever `AUDIT` yields.

Tests set `AUDIT` to a list of dicts or to a callable returning an iterator (to fail or
act half-way through). The same module serves a Celery worker thread in the same process.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from portal.sync import SyncContext, reconcile
from tests.portal.sync_testapp.models import Gadget

AUDIT: Iterable[dict] | Callable[[], Iterable[dict]] = []


def sync_gadgets(*, run: SyncContext, confirmed: bool) -> None:
    records = AUDIT() if callable(AUDIT) else iter(AUDIT)
    reconcile(run=run, model=Gadget, records=records, to_fields=_fields)


def _fields(record: Mapping[str, Any]) -> dict[str, Any]:
    # VI-style names in, model names out, as a domain's mapping does.
    return {
        "code": record["Code"],
        "name": record.get("Name"),
        "status": record.get("Status"),
        "price": record.get("Price"),
        "renews_at": record.get("RenewsAt"),
        "tags": record.get("Tags") or [],
    }
