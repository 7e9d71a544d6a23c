"""Small real servers in front of tests/gpserver: an HTTP proxy and a TLS front that asks
for a client certificate, with the certificates for them made by the openssl command.

Both relay every request to the GP server with ``requests`` and remember what passed.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "host"}


class _RelayHandler(BaseHTTPRequestHandler):
    server: Relay

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _relay(self) -> None:
        url = self.path if self.path.startswith("http") else self.server.upstream + self.path
        self.server.seen.append(url)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        with requests.Session() as session:
            session.trust_env = False
            answer = session.request(self.command, url, data=body, headers=headers, timeout=30)
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in {*_HOP_BY_HOP, "content-length", "content-encoding"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = _relay


class Relay(ThreadingHTTPServer):
    """Relays to ``upstream`` (reverse proxy) or to absolute URLs (forward HTTP proxy)."""

    daemon_threads = True

    def __init__(self, upstream: str = "", tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _RelayHandler)
        self.upstream = upstream
        self.seen: list[str] = []
        self.connection_attempts = 0  # accepted TCP connections, TLS handshake or not
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def get_request(self) -> tuple[socket.socket, Any]:
        self.connection_attempts += 1
        return super().get_request()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


@dataclass(frozen=True)
class PkiFiles:
    """A CA, a server certificate for 127.0.0.1 and a client certificate in three forms."""

    ca_pem: Path
    server_pem: Path
    server_key: Path
    client_pem: Path
    client_key: Path  # encrypted with key_pass
    client_p12: Path  # encrypted with bundle_pass
    key_pass: str = "client-key-pass"
    bundle_pass: str = "client-bundle-pass"

    def server_context(self) -> ssl.SSLContext:
        """TLS for the front: our server certificate; client certificates required."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.server_pem, self.server_key)
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(self.ca_pem)
        return context


def make_pki(folder: Path) -> PkiFiles:
    """Create the certificates with the openssl command line tool."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    folder.mkdir(parents=True, exist_ok=True)
    pki = PkiFiles(
        ca_pem=folder / "ca.pem",
        server_pem=folder / "server.pem",
        server_key=folder / "server.key",
        client_pem=folder / "client.pem",
        client_key=folder / "client.key",
        client_p12=folder / "client.p12",
    )
    sign = ["x509", "-req", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"]
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "2", "-subj", "/CN=arcgis_gp test CA")  # fmt: skip
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", encoding="ascii"
    )
    (folder / "client.ext").write_text("extendedKeyUsage=clientAuth\n", encoding="ascii")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
            "-out", "server.csr", "-subj", "/CN=127.0.0.1")  # fmt: skip
    openssl(*sign, "-in", "server.csr", "-out", "server.pem", "-extfile", "server.ext")
    openssl("req", "-newkey", "rsa:2048", "-keyout", "client.key", "-passout",
            f"pass:{pki.key_pass}", "-out", "client.csr", "-subj", "/CN=gp client")  # fmt: skip
    openssl(*sign, "-in", "client.csr", "-out", "client.pem", "-extfile", "client.ext")
    openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key",
            "-passin", f"pass:{pki.key_pass}", "-out", "client.p12",
            "-passout", f"pass:{pki.bundle_pass}")  # fmt: skip
    return pki


def pki_config(pki: PkiFiles, method: str) -> dict[str, str]:
    """The QGIS auth configuration of the client certificate (PKI-Paths or PKCS#12)."""
    if method == "PKI-Paths":
        return {
            "certpath": str(pki.client_pem),
            "keypath": str(pki.client_key),
            "keypass": pki.key_pass,
        }
    return {"bundlepath": str(pki.client_p12), "bundlepass": pki.bundle_pass}
