"""What may be stored or shown of a call's parameters and error texts. No database."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from portal.voipinnovations.redaction import (
    REDACTED,
    redact_parameters,
    redact_text,
    sensitive_values,
)


def test_sensitive_parameters_are_redacted_at_any_depth():
    params = {
        "tn": "4352154006",
        "pin": "12345678",
        "authToken": "tok-abc",
        "files": {"MMSFile": [{"fileName": "a.png", "content": b"\x89PNG..."}]},
        "Secret": "x",
    }
    stored = redact_parameters(params)
    assert stored["tn"] == "4352154006"
    assert stored["pin"] == REDACTED
    assert stored["authToken"] == REDACTED
    assert stored["Secret"] == REDACTED
    assert stored["files"]["MMSFile"][0] == {"fileName": "a.png", "content": REDACTED}


def test_stored_parameters_are_json_safe():
    stored = redact_parameters(
        {
            "amount": Decimal("1.50"),
            "when": datetime.datetime(2024, 1, 2, 3, 4),
            "blob": b"abc",
            "tns": ("1", "2"),
        }
    )
    assert json.loads(json.dumps(stored)) == {
        "amount": "1.50",
        "when": "2024-01-02T03:04:00",
        "blob": "<3 bytes>",
        "tns": ["1", "2"],
    }


def test_error_text_loses_secret_elements_and_known_values_and_stays_short():
    body = (
        "<soap:Envelope><soap:Body><assignDID><login>u</login><tns:secret>hunter2</tns:secret>"
        "<pin>8675309</pin></assignDID></soap:Body></soap:Envelope> also hunter2 here " + "x" * 1000
    )
    text = redact_text(body, secrets={"hunter2"})
    assert "hunter2" not in text
    assert "8675309" not in text
    assert len(text) <= 300
    assert "\n" not in text


def test_sensitive_values_are_collected_for_scrubbing():
    assert sensitive_values({"tn": "1", "pin": "555", "nested": [{"authToken": "t"}]}) == {
        "555",
        "t",
    }
