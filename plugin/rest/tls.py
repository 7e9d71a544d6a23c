"""TLS for the REST session: a PKI client certificate, and server certificates the user
accepted although they do not verify.

Both come from the application around the REST layer (the plugin reads them from the
QGIS authentication database) and reach :class:`~.transport.Transport` through
:class:`~.transport.NetworkOptions`. urllib3 does the work: an ``ssl_context`` that
presents the client certificate, and ``assert_fingerprint`` for an accepted server
certificate.
"""

from __future__ import annotations

import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from requests.adapters import HTTPAdapter


@dataclass(frozen=True)
class ClientCertificate:
    """A TLS client certificate (PKI) held in memory as PEM.

    ``key_pem`` is encrypted with ``key_password`` (random, made by whoever built the
    object), so the private key is never on disk in clear, not even for a moment.
    """

    cert_pem: bytes
    key_pem: bytes
    key_password: bytes

    def __repr__(self) -> str:
        return "ClientCertificate(<hidden>)"


@dataclass(frozen=True)
class PinnedCertificate:
    """The one certificate a server may present although it fails verification (self-
    signed, another host name ...), because the user accepted exactly it for this
    host and port, as QGIS's SSL server exceptions do. Any other certificate there is
    refused, and every other server is verified as usual."""

    host: str
    port: int
    #: SHA-256 of the certificate (DER), hex
    sha256: str

    def prefixes(self) -> list[str]:
        """The URL prefixes of this host and port (requests mounts adapters by prefix)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        prefixes = [f"https://{host}:{self.port}/".lower()]
        if self.port == 443:
            prefixes.append(f"https://{host}/".lower())
        return prefixes


def client_certificate_context(
    certificate: ClientCertificate, *, pinned: bool = False
) -> ssl.SSLContext:
    """An SSL context presenting ``certificate`` (for :class:`TlsAdapter`).

    ``ssl`` loads keys from files only: the certificate and the *encrypted* key go to
    private temporary files (mode 0600) that are deleted as soon as they are loaded.
    Server verification stays with requests (``verify``), which loads its CA bundle
    into this context; for a ``pinned`` server there is no chain or name to check (the
    fingerprint is), and urllib3 2 refuses a context that still checks host names.
    """
    from urllib3.util.ssl_ import create_urllib3_context

    context = create_urllib3_context()
    if pinned:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    folder = tempfile.mkdtemp(prefix="arcgis-gp-tls-")
    try:
        cert_file = Path(folder, "cert.pem")
        key_file = Path(folder, "key.pem")
        for path, data in ((cert_file, certificate.cert_pem), (key_file, certificate.key_pem)):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        context.load_cert_chain(str(cert_file), str(key_file), certificate.key_password)
    finally:
        for name in ("cert.pem", "key.pem"):
            Path(folder, name).unlink(missing_ok=True)
        os.rmdir(folder)
    return context


class TlsAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections (direct or through a proxy) use one SSL context,
    and, for a server with a :class:`PinnedCertificate`, accept exactly that certificate.

    Pinned: the chain and host name are not checked (that is what the user accepted),
    the certificate's fingerprint is (urllib3 ``assert_fingerprint``: a mismatch is an
    SSL error, reported like any refused certificate).
    """

    def __init__(
        self,
        ssl_context: ssl.SSLContext | None = None,
        *,
        pinned_sha256: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._ssl_context = ssl_context
        self._pinned_sha256 = pinned_sha256
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._ssl_context is not None:
            kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        if self._ssl_context is not None:
            kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        if self._pinned_sha256 is None:
            super().cert_verify(conn, url, verify, cert)
            return
        super().cert_verify(conn, url, False, cert)
        conn.assert_fingerprint = self._pinned_sha256
