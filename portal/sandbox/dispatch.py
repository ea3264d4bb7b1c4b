"""From a SOAP request body to a response: parse, inject faults, authenticate, run the handler."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import registry, soap
from .faults import Fault
from .serializer import Serializer

logger = logging.getLogger("portal.sandbox")

AUTH_FAILED = {"responseCode": 902, "responseMessage": "Username/password/IP not found"}
EXCEPTION = {"responseCode": 900, "responseMessage": "An exception occurred"}
SUCCESS = {"responseCode": 100, "responseMessage": "Success"}


@dataclass(slots=True)
class Reply:
    status: int
    content_type: str
    body: Iterator[str] | bytes  # text pieces are encoded by serializer.chunks as they are sent
    delay: float = 0.0  # seconds to wait before answering (latency fault)
    hang: float = 0.0  # seconds to hold the connection, then close without answering
    truncate: bool = False  # send the body cut mid-record
    headers: dict = field(default_factory=dict)


def _fault_reply(message: str, version: str, *, client: bool = True) -> Reply:
    return Reply(
        500, soap.CONTENT_TYPES[version], soap.fault(message, version=version, client=client)
    )


def handle(
    sandbox, serializer: Serializer, body: bytes, content_type: str, soap_action: str = ""
) -> Reply:
    try:
        parsed = soap.parse(body, content_type)
    except soap.SoapError as error:
        return _fault_reply(str(error), error.version)
    operation = registry.find(parsed.operation)
    version = parsed.version
    if operation is None:
        return _fault_reply(
            f"Server did not recognize the value of HTTP Header SOAPAction: {soap_action or parsed.operation}.",
            version,
        )

    fault: Fault | None = sandbox.faults.take(parsed.operation) if sandbox.faults else None
    delay = 0.0
    if fault is not None:
        if fault.kind == "timeout":
            return Reply(0, "", b"", hang=fault.seconds)
        if fault.kind == "http500":
            return Reply(
                500,
                "text/html; charset=utf-8",
                b"<html><body><h1>500 Internal Server Error</h1></body></html>",
            )
        if fault.kind == "soapfault":
            return _fault_reply(
                "Server was unable to process request. ---> Simulated failure.",
                version,
                client=False,
            )
        if fault.kind == "malformed":
            text = (
                soap.envelope_head(version)
                + f'<{parsed.operation}Response xmlns="http://tempuri.org/">'
                "<responseCode>100</responseCode><responseMessage>Succ&ess<DIDs><DID><tn>"
            )
            return Reply(200, soap.CONTENT_TYPES[version], text.encode())
        if fault.kind == "latency":
            delay = fault.seconds

    if fault is not None and fault.kind == "auth":
        result = AUTH_FAILED
    elif fault is not None and fault.kind == "empty":
        result = operation.empty() if operation.empty else SUCCESS
    elif operation.authenticated and not _authenticated(sandbox, parsed.request):
        result = AUTH_FAILED
    else:
        try:
            with sandbox.lock:
                result = operation.handler(sandbox, parsed.request)
        except Exception:  # a bug in a handler: VI answers 900, and we want the traceback
            logger.error("sandbox handler %s failed:\n%s", parsed.operation, traceback.format_exc())
            result = EXCEPTION

    pieces = _envelope(serializer, version, parsed.operation, result)
    return Reply(
        200,
        soap.CONTENT_TYPES[version],
        pieces,
        delay=delay,
        truncate=fault is not None and fault.kind == "truncated",
    )


def _authenticated(sandbox, request: registry.Request) -> bool:
    return request.text("login") == sandbox.login and request.text("secret") == sandbox.secret


def _envelope(serializer: Serializer, version: str, operation: str, result: dict) -> Iterator[str]:
    yield soap.envelope_head(version)
    yield from serializer.body_pieces(operation, result)
    yield soap.ENVELOPE_TAIL
