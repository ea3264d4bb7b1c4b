"""The naive path a first version would take: zeep's ordinary deserialisation of the whole
answer, then `update_or_create` per record. No hashing, no history — and still slow.

Numbers only (auditDIDs): at ~15 ms a record (one transaction and commit each) the 911
half would add minutes to `make bench` and nothing to the per-record figure.
"""

from __future__ import annotations

import time

from django.db import connection


def run_naive() -> dict:
    from dids.models import DID
    from dids.records import DIDRecord, vi_list
    from portal.voipinnovations.client import call

    call("GetPrepaidBalance")  # builds the zeep client (WSDL parsed once per process): not counted
    started = time.perf_counter()
    did_count = 0
    result = call("auditDIDs")
    fields = [name for name in DID.vi_fields if name in DIDRecord.__dataclass_fields__]
    for item in vi_list(result, "DIDs", "DID"):
        record = DIDRecord.from_vi(item)
        if not record.tn:
            continue
        DID.objects.update_or_create(
            tn=record.tn, defaults={name: getattr(record, name) for name in fields}
        )
        did_count += 1
    seconds = time.perf_counter() - started
    records = did_count
    connection.close()
    return {
        "seconds": seconds,
        "records": records,
        "per_record_ms": 1000 * seconds / max(records, 1),
    }
