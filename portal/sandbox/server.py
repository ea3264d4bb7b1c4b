"""The HTTP server: SOAP at /Services/APIService.asmx, WSDL at ?wsdl, JSON control at /_sandbox/.

`start(host, port=0, login, secret, seed)` runs it in a daemon thread for tests and the dev
runner; `python -m portal.sandbox` runs it in the foreground.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from . import control, dispatch, schema
from .faults import FaultPlan
from .serializer import Serializer, chunks
from .state import Sandbox

SOAP_PATH = "/Services/APIService.asmx"
logger = logging.getLogger("portal.sandbox")


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address, *, sandbox: Sandbox, state_file: Path | None = None, quiet: bool = True
    ):
        super().__init__(address, _Handler)
        self.sandbox = sandbox
        self.sandbox.faults = self.sandbox.faults or FaultPlan()
        self.serializer = Serializer(schema.load())
        self.state_file = state_file
        self.quiet = quiet
        self.stopping = threading.Event()  # releases connections held by "timeout" faults
        self._thread: threading.Thread | None = None

    def handle_error(self, request, client_address):
        # A client that gives up (its timeout during a latency fault) is not our error.
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        assert isinstance(host, str)  # an AF_INET server's address is (host, port)
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.base_url + SOAP_PATH

    def serve_in_thread(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="vi-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        if self.state_file is not None:
            self.sandbox.save(self.state_file)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes. With Nagle's algorithm on, the body of a small
    # answer on a kept-alive connection waited for the client's delayed ACK of the headers:
    # ~40 ms added to every call, which VI's own servers do not add.
    disable_nagle_algorithm = True
    server: SandboxServer

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        if not self.server.quiet:
            logger.info("%s %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self, status: int, content_type: str, body: bytes, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, status: int, payload) -> None:
        self._send(status, "application/json", json.dumps(payload, default=str).encode())

    # -- routes ---------------------------------------------------------------------------
    def do_GET(self):
        parts = urlsplit(self.path)
        if parts.path.lower() == SOAP_PATH.lower() and parts.query.lower().startswith("wsdl"):
            self._send(200, "text/xml; charset=utf-8", schema.wsdl_text(self.server.url))
        elif parts.path.startswith("/_sandbox/"):
            self._control("GET", parts.path)
        else:
            self._send(404, "text/plain", b"not found")

    def do_DELETE(self):
        parts = urlsplit(self.path)
        self._read_body()
        if parts.path.startswith("/_sandbox/"):
            self._control("DELETE", parts.path)
        else:
            self._send(405, "text/plain", b"method not allowed")

    def do_POST(self):
        parts = urlsplit(self.path)
        body = self._read_body()
        if parts.path.startswith("/_sandbox/"):
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                self._send_json(400, {"error": "body must be JSON"})
                return
            self._control("POST", parts.path, payload if isinstance(payload, dict) else {})
        elif parts.path.lower() == SOAP_PATH.lower():
            self._soap(body)
        else:
            self._send(404, "text/plain", b"not found")

    def _control(self, method: str, path: str, payload: dict | None = None) -> None:
        try:
            status, answer = control.handle(self.server.sandbox, method, path, payload or {})
        except control.ControlError as error:
            status, answer = error.status, {"error": str(error)}
        self._send_json(status, answer)

    def _soap(self, body: bytes) -> None:
        reply = dispatch.handle(
            self.server.sandbox,
            self.server.serializer,
            body,
            self.headers.get("Content-Type", ""),
            self.headers.get("SOAPAction", ""),
        )
        if reply.hang:
            # Hold the connection past the client's timeout, then hang up without a word.
            self.server.stopping.wait(reply.hang)
            self.close_connection = True
            return
        if reply.delay:
            self.server.stopping.wait(reply.delay)
        if isinstance(reply.body, bytes):
            self._send(reply.status, reply.content_type, reply.body)
            return
        stream = chunks(reply.body)
        if reply.truncate:
            whole = b"".join(stream)
            self.close_connection = True
            self._send(
                reply.status, reply.content_type, _cut_mid_record(whole), {"Connection": "close"}
            )
            return
        first = next(stream, b"")
        second = next(stream, None)
        if second is None:
            self._send(reply.status, reply.content_type, first)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        write = self.wfile.write
        try:
            for chunk in (first, second):
                write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            for chunk in stream:
                write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _cut_mid_record(body: bytes) -> bytes:
    """Cut inside a record in the middle of the body, as a dropped transfer would."""
    middle = len(body) // 2
    opening = body.find(b"<tn>", middle)
    cut = opening + 6 if opening != -1 and opening + 6 < len(body) else middle
    return body[:cut]


def start(
    host: str = "127.0.0.1",
    port: int = 0,
    login: str = "sandbox",
    secret: str = "sandbox-secret",
    seed: str | int = "test",
    state_file: Path | str | None = None,
    quiet: bool = True,
) -> SandboxServer:
    """Start a sandbox in a daemon thread; `server.url`, `server.base_url`, `server.stop()`."""
    sandbox = Sandbox(login=login, secret=secret)
    path = Path(state_file) if state_file else None
    if path is None or not sandbox.load(path):
        sandbox.reset(seed)
    server = SandboxServer((host, port), sandbox=sandbox, state_file=path, quiet=quiet)
    return server.serve_in_thread()
