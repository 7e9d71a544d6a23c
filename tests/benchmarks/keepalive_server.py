"""The test GP server's WSGI app behind an HTTP/1.1 server that keeps connections alive.

Run: ``.venv/bin/python -m tests.benchmarks.keepalive_server --services <yaml>`` (prints
``GP server at <services url> (Ctrl+C to stop)`` like ``python -m tests.gpserver``).

Why: werkzeug's development server (``tests/gpserver``) answers every request with
``Connection: close``, so each request of a crawl pays a new TCP connection on the
client and a new thread on the server; ArcGIS Server (Tomcat, IIS, the web adaptor)
keeps connections alive. On this 2-core machine that doubles the server's CPU per
request in ``bench_catalog`` (the server and the client share the cores). This front
serves the same app, same services, same faults (the latency fault sleeps inside the
app), only with keep-alive. Benchmarks only: small JSON answers, bodies read whole.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from tests.gpserver.server import GPServer

#: Hop-by-hop or length headers this front sets itself.
_OWN_HEADERS = frozenset({"content-length", "connection", "transfer-encoding"})


class _KeepAliveHandler(BaseHTTPRequestHandler):
    """One connection, many requests: HTTP/1.1, every answer with a Content-Length."""

    protocol_version = "HTTP/1.1"
    #: Headers and body go out as two writes: without TCP_NODELAY, Nagle's algorithm
    #: and the client's delayed ACK add ~40 ms to every answer.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in self.headers.items():
            name = "HTTP_" + key.upper().replace("-", "_")
            if name in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                continue
            environ[name] = f"{environ[name]},{value}" if name in environ else value
        return environ

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        head: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            head[:] = [status, headers]
            return lambda data: None

        result = self.server.app(self._environ(body), start_response)  # type: ignore[attr-defined]
        try:
            data = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        status, headers = head
        code, _, reason = status.partition(" ")
        self.send_response_only(int(code), reason)
        for key, value in headers:
            if key.lower() not in _OWN_HEADERS:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve


class KeepAliveGPServer(GPServer):
    """:class:`GPServer` with the keep-alive front instead of werkzeug's server."""

    def start(self) -> KeepAliveGPServer:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer((self.host, self.port), _KeepAliveHandler)
        server.daemon_threads = True
        server.app = self.app  # type: ignore[attr-defined]
        self.port = server.server_address[1]
        self._server = server  # type: ignore[assignment]
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"gpserver-keepalive-{self.port}", daemon=True
        )
        self._thread.start()
        return self


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.keepalive_server")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    parser.add_argument("--services", default=None, help="services YAML (default: bundled)")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with KeepAliveGPServer("127.0.0.1", args.port, args.services) as server:
        print(f"GP server at {server.services_url} (Ctrl+C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
