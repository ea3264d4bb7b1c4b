"""Seeding at scale, streaming a 100,000-number audit, and --state persistence."""

from __future__ import annotations

import time

from lxml import etree

from portal.sandbox.server import start
from portal.sandbox.state import Sandbox

from .soap_client import envelope, post

TNS = "{http://tempuri.org/}"


def test_seeding_100000_numbers_and_streaming_their_audit(capsys):
    started = time.perf_counter()
    server = start(port=0, login="l", secret="s", seed=100_000)
    seeded = time.perf_counter() - started
    try:
        started = time.perf_counter()
        response = post(
            server.url,
            envelope("auditDIDs", "", login="l", secret="s"),
            operation="auditDIDs",
            timeout=120,
        )
        downloaded = time.perf_counter() - started
        assert response.headers.get("Transfer-Encoding") == "chunked"
        count = 0
        for _, element in etree.iterparse(_bytes_io(response.content), tag=f"{TNS}DID"):
            count += 1
            element.clear()
        assert count == 100_000
    finally:
        server.stop()
    with capsys.disabled():
        print(
            f"\n[sandbox] seed 100,000: {seeded:.2f} s; auditDIDs {len(response.content) / 1e6:.1f} MB in "
            f"{downloaded:.2f} s"
        )


def _bytes_io(content: bytes):
    import io

    return io.BytesIO(content)


def test_seeds_are_deterministic():
    first, second = Sandbox(), Sandbox()
    first.reset("demo")
    second.reset("demo")
    assert sorted(first.dids.numbers) == sorted(second.dids.numbers)
    assert first.summary()["dids"] == second.summary()["dids"]
    assert first.summary()["dids"]["owned"] == 3000


def test_state_file_keeps_the_account_across_restarts(tmp_path):
    path = tmp_path / "sandbox.state"
    server = start(port=0, login="l", secret="s", seed="test", state_file=path)
    inner = "<didParams><DIDParam><tn>{tn}</tn><epg>0</epg></DIDParam></didParams>"
    owned = sorted(n for n, v in server.sandbox.dids.numbers.items() if v.holder == "ours")
    post(
        server.url,
        envelope("releaseDID", inner.format(tn=owned[0]), login="l", secret="s"),
        operation="releaseDID",
    )
    server.stop()
    assert path.exists()

    restarted = start(port=0, login="l", secret="s", seed="test", state_file=path)
    try:
        assert restarted.sandbox.dids.numbers[owned[0]].holder is None
        assert restarted.sandbox.summary()["dids"]["owned"] == len(owned) - 1
    finally:
        restarted.stop()
