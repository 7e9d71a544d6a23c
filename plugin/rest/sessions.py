"""The pooled ``requests`` session of one server: pool size, proxy, TLS adapters.

What QGIS's network settings decide (proxy, a PKI client certificate, a server
certificate the user accepted) arrives as :class:`NetworkOptions`; how that becomes
mounted adapters lives here, next to the adapters themselves (:mod:`.tls`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter

from .tls import ClientCertificate, PinnedCertificate, TlsAdapter, client_certificate_context

LOG = logging.getLogger(__name__)

#: Connections kept per session, and so the catalog crawl's concurrency. 48 crawls 1,000
#: tasks at 50 ms per request in ~1.5 s (32: 2.0 s, at the latency floor; see
#: tests/benchmarks/RESULTS.md). A crawl is a short burst of small description GETs over
#: kept-alive connections, fewer streams than a browser opens to one host over HTTP/2; an
#: administrator who wants less sets ``$ARCGIS_GP_MAX_CONNECTIONS``.
DEFAULT_POOL_SIZE = 48
#: Environment variable that overrides it (1 to ``MAX_POOL_SIZE``).
POOL_SIZE_VARIABLE = "ARCGIS_GP_MAX_CONNECTIONS"
MAX_POOL_SIZE = 128


@dataclass(frozen=True)
class NetworkOptions:
    """How to reach the server, as the application around the REST layer decides.

    The plugin fills this from QGIS's network settings: its proxy, its trusted CA
    certificates (``verify`` of the client) and a PKI client certificate.
    """

    #: requests' proxies mapping (``{"http": url, "https": url}``); empty: no proxy.
    proxies: Mapping[str, str] = field(default_factory=dict)
    #: Also read ``http_proxy``/``https_proxy``/``no_proxy`` from the environment.
    trust_env: bool = True
    client_certificate: ClientCertificate | None = None
    #: The server certificate the user accepted for the server (see :mod:`.tls`).
    pinned_certificate: PinnedCertificate | None = None

    def __repr__(self) -> str:  # proxy URLs may carry a password
        return (
            f"NetworkOptions(proxies=<{len(self.proxies)}>, trust_env={self.trust_env}, "
            f"client_certificate={'yes' if self.client_certificate else 'no'}, "
            f"pinned_certificate={'yes' if self.pinned_certificate else 'no'})"
        )


def pool_size_setting() -> int:
    """``$ARCGIS_GP_MAX_CONNECTIONS`` bounded to 1..128, else :data:`DEFAULT_POOL_SIZE`."""
    text = os.environ.get(POOL_SIZE_VARIABLE, "").strip()
    try:
        value = int(text) if text else DEFAULT_POOL_SIZE
    except ValueError:
        LOG.warning("%s=%r is not a number; using %d", POOL_SIZE_VARIABLE, text, DEFAULT_POOL_SIZE)
        value = DEFAULT_POOL_SIZE
    return min(max(value, 1), MAX_POOL_SIZE)


def build_session(pool_size: int, network: NetworkOptions | None = None) -> requests.Session:
    """A session keeping ``pool_size`` connections per host, with ``network``'s proxy,
    client certificate and pinned server certificate mounted."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
    session.mount("http://", adapter)
    certificate = network.client_certificate if network else None
    if certificate is not None:
        adapter = TlsAdapter(
            client_certificate_context(certificate),
            pool_connections=4,
            pool_maxsize=pool_size,
        )
    session.mount("https://", adapter)
    pinned = network.pinned_certificate if network else None
    if pinned is not None:
        pinned_adapter = TlsAdapter(
            # a context of its own: urllib3 sets its verify mode per connection
            client_certificate_context(certificate, pinned=True) if certificate else None,
            pinned_sha256=pinned.sha256,
            pool_connections=4,
            pool_maxsize=pool_size,
        )
        for prefix in pinned.prefixes():
            session.mount(prefix, pinned_adapter)
    if network is not None:
        session.proxies.update(network.proxies)
        session.trust_env = network.trust_env
    return session
