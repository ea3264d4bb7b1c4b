"""A tiny loopback HTTP server that answers SOAP posts with canned replies.

For what the sandbox cannot be made to send: VI's recorded answers byte for byte, and
broken answers shaped exactly as a test needs. It records what it received, so tests can
check what the client put on the wire.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/xml; charset=utf-8"
    delay: float = 0.0  # seconds before the headers are sent
    cut_at: int | None = None  # send only this many bytes of the body, then close
    chunked: bool = False


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class CannedVI:
    replies: dict[str, Reply] = field(default_factory=dict)  # by operation, "*" for any
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                canned.received.append(Received(self.path, dict(self.headers), body))
                action = self.headers.get("SOAPAction", "").strip('"')
                operation = action.rsplit("/", 1)[-1]
                reply = (
                    canned.replies.get(operation) or canned.replies.get("*") or Reply(status=404)
                )
                if reply.delay and canned.stopping.wait(reply.delay):
                    return
                payload = reply.body if reply.cut_at is None else reply.body[: reply.cut_at]
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                elif reply.cut_at is None:
                    self.send_header("Content-Length", str(len(payload)))
                else:  # promise the whole body, deliver part of it
                    self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if reply.chunked:
                    for start in range(0, len(payload), 4096):
                        piece = payload[start : start + 4096]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    if reply.cut_at is None:
                        self.wfile.write(b"0\r\n\r\n")
                else:
                    self.wfile.write(payload)
                self.wfile.flush()
                self.close_connection = True

        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/Services/APIService.asmx"

    def reply(self, operation: str, body: bytes | str = b"", **options) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.replies[operation] = Reply(body=body, **options)

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def envelope(operation: str, result_xml: str) -> bytes:
    """A VI-style answer (`<OpResponse xmlns=tempuri><OpResult>…`) around `result_xml`."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<soap:Body><{operation}Response xmlns="http://tempuri.org/"><{operation}Result>'
        f"{result_xml}"
        f"</{operation}Result></{operation}Response></soap:Body></soap:Envelope>"
    ).encode()


def soap_fault(reason: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f"<soap:Fault><faultcode>soap:Server</faultcode><faultstring>{reason}</faultstring>"
        "<detail/></soap:Fault></soap:Body></soap:Envelope>"
    ).encode()


def wait_until(predicate, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
