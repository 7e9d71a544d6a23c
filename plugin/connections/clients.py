"""One REST client per connection: the bridge from QGIS settings to the plain `rest` layer.

A client carries the connection's authentication (:mod:`.qgis_auth`) and QGIS's proxy and
trusted CAs (:mod:`.qgis_network`), so every request honours QGIS's settings.

Clients are shared (one pooled ``requests`` session per connection) and thread-safe for
the calls the provider makes from Processing's worker threads. A shared client is
rebuilt when QGIS's proxy, trusted CAs or SSL server exceptions changed since it was
made (compared at each :func:`client_for`, i.e. once per run or catalog refresh); the
old one stays usable by the runs that hold it and is closed with the others.
"""

from __future__ import annotations

import threading

from ..rest.client import GPClient
from ..settings import pool_size
from .connection import Connection
from .qgis_auth import auth_for
from .qgis_network import network_fingerprint, network_options

_clients: dict[Connection, tuple[GPClient, tuple[object, ...]]] = {}
#: Clients replaced after a settings change, perhaps still in use: closed at the end.
_retired: list[GPClient] = []
_lock = threading.Lock()


def new_client(connection: Connection) -> GPClient:
    """A client of its own (the caller closes it), e.g. to test a connection being edited."""
    auth = auth_for(connection)
    network, verify = network_options(connection.url, auth.client_certificate)
    return GPClient(
        connection.url,
        token_provider=auth.token_provider,
        timeout=connection.timeout,
        verify=verify,
        referer=connection.referer or None,
        allow_insecure_http=connection.allow_insecure_http,
        network=network,
        pool_size=pool_size(),
    )


def client_for(connection: Connection) -> GPClient:
    """The shared client of a connection (made on first use, remade when QGIS's network
    settings changed since)."""
    fingerprint = network_fingerprint(connection.url)
    with _lock:
        entry = _clients.get(connection)
        if entry is not None and entry[1] == fingerprint:
            return entry[0]
        client = new_client(connection)
        if entry is not None:
            _retired.append(entry[0])
        _clients[connection] = (client, fingerprint)
        return client


def forget_clients() -> None:
    """Close every session (plugin unload, or connections changed)."""
    with _lock:
        for client, _ in _clients.values():
            client.close()
        for client in _retired:
            client.close()
        _clients.clear()
        _retired.clear()
