"""Run the test GP server from a shell: ``python -m tests.gpserver --port 8399``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import threading

from .server import DEFAULT_JOB_MAX_AGE, GPServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.gpserver", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=8399, help="port (0: any free port)")
    parser.add_argument("--services", default=None, help="services YAML (default: bundled)")
    parser.add_argument("--workdir", default=None, help="folder for job files and uploads")
    parser.add_argument(
        "--job-max-age", type=float, default=DEFAULT_JOB_MAX_AGE, help="seconds jobs are kept"
    )
    parser.add_argument("--verbose", action="store_true", help="log server errors")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    server = GPServer(
        args.host,
        args.port,
        args.services,
        workdir=args.workdir,
        job_max_age=args.job_max_age,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        print(f"GP server at {server.services_url} (Ctrl+C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
