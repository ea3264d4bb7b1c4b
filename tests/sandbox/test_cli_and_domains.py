"""The command line, and the numbers store in step with the other domain stores."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from portal.sandbox import registry
from portal.sandbox.state import load_domain_modules

load_domain_modules()  # registers the other domains' handlers, if their modules exist
REPO = Path(__file__).resolve().parents[2]


def test_command_line_serves_and_saves_its_state_on_sigterm(tmp_path):
    state = tmp_path / "account.state"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portal.sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed",
            "25",
            "--login",
            "cli",
            "--secret",
            "cli-secret",
            "--state",
            str(state),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        url = banner.split()[3]
        base = url.split("/Services/")[0]
        with urllib.request.urlopen(f"{base}/_sandbox/summary", timeout=10) as response:
            assert json.load(response)["dids"]["owned"] == 25
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert process.returncode == 0, process.stderr.read()
    assert state.stat().st_size > 0


@pytest.mark.skipif(
    registry.find("insert911") is None, reason="the 911 domain module is not written yet"
)
def test_has911_follows_the_911_store(sandbox, soap):
    audit = {d["tn"]: d["has911"] for d in soap.dids("auditDIDs")}
    assert set(audit.values()) == {"true", "false"}  # most numbers, not all
    tn = next(tn for tn, has in audit.items() if has == "false")
    address = (
        "<address1>350 S 200 E</address1><city>Salt Lake City</city><state>UT</state>"
        "<zip>84111</zip><callerName>ACME</callerName>"
    )
    assert soap.call("insert911", f"<did>{tn}</did>{address}")["responseCode"] == "100"
    assert soap.dids("queryDID", f"<did>{tn}</did>")[0]["has911"] == "true"
    soap.call("remove911", f"<did>{tn}</did>")
    assert soap.dids("queryDID", f"<did>{tn}</did>")[0]["has911"] == "false"
