"""The sandbox as a separate process: it must not share the benchmark's interpreter (GIL).

Started on an ephemeral loopback port with a throwaway secret; stopped with SIGTERM.
"""

from __future__ import annotations

import json
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LOGIN = "bench"
_URL = re.compile(r"VI sandbox on (http://\S+)")


class SandboxProcess:
    def __init__(self, *, repo_dir: Path):
        self.secret = secrets.token_hex(16)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portal.sandbox",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--seed",
                "empty",
                "--login",
                LOGIN,
                "--secret",
                self.secret,
            ],
            cwd=repo_dir,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None  # stdout=PIPE
        line = self.process.stdout.readline()
        found = _URL.search(line)
        if not found:
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        self.url = found.group(1)  # the SOAP endpoint
        self.base_url = self.url.split("/Services/")[0]

    def control(
        self, method: str, path: str, payload: dict | None = None, *, timeout: float = 120
    ) -> object:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            f"{self.base_url}/_sandbox/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"null")

    def reset(self, seed: str | int) -> float:
        """Reseed the sandbox; returns the seconds it took."""
        started = time.perf_counter()
        self.control("POST", "reset", {"seed": seed}, timeout=600)
        return time.perf_counter() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
