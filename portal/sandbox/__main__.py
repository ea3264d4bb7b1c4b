"""python -m portal.sandbox --host 127.0.0.1 --port 8089 [--login L --secret S] [--seed demo|N] [--state FILE]"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from .server import start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal.sandbox", description="VoIP Innovations stand-in"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--login", default="sandbox")
    parser.add_argument("--secret", default="sandbox-secret")
    parser.add_argument(
        "--seed", default="demo", help="demo, test, empty or a number of owned DIDs"
    )
    parser.add_argument("--state", default=None, help="file to load on start and save on shutdown")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="sandbox %(message)s")

    server = start(
        host=args.host,
        port=args.port,
        login=args.login,
        secret=args.secret,
        seed=args.seed,
        state_file=args.state,
        quiet=not args.verbose,
    )
    print(
        f"VI sandbox on {server.url} (WSDL: {server.url}?wsdl, control: {server.base_url}/_sandbox/summary)",
        flush=True,
    )

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        if hasattr(signal, "pause"):
            signal.pause()
        else:
            assert server._thread is not None  # start() serves in a thread
            server._thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()  # saves --state
    return 0


if __name__ == "__main__":
    sys.exit(main())
