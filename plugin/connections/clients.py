"""One REST client per connection: the bridge from QGIS settings to the plain `rest` layer.

A client carries the connection's authentication (:mod:`.qgis_auth`) and QGIS's proxy and
trusted CAs (:mod:`.qgis_network`), so every request honours QGIS's settings.

Clients are shared (one pooled ``requests`` session per connection) and thread-safe for
the calls the provider makes from Processing's worker threads. A shared client is
rebuilt when QGIS's proxy, trusted CAs or SSL server exceptions changed since it was
made (compared at each :func:`client_for`, i.e. once per run or catalog refresh); the
old one stays usable by the runs that hold it and is closed with the others.

A portal connection's services live on other servers (federated with the portal, or
ArcGIS Online's): ``client_for(connection, url)`` gives the client of the server hosting
``url``, with the connection's login, so that server gets a token of its own (a Basic
login through the portal and its exchange, :mod:`..rest.auth`). For a server connection
every URL is on its server, and that is the connection's own client.
"""

from __future__ import annotations

import threading

from ..rest.client import GPClient
from ..rest.errors import InvalidUrlError
from ..rest.urls import parse_server_url
from ..settings import pool_size
from .connection import Connection
from .qgis_auth import auth_for
from .qgis_network import network_fingerprint, network_options

_clients: dict[tuple[Connection, str], tuple[GPClient, tuple[object, ...]]] = {}
#: Clients replaced after a settings change, perhaps still in use: closed at the end.
_retired: list[GPClient] = []
_lock = threading.Lock()


def new_client(connection: Connection, base_url: str | None = None) -> GPClient:
    """A client of its own (the caller closes it), e.g. to test a connection being edited;
    ``base_url``: another server of a portal connection (its services root)."""
    auth = auth_for(connection)
    url = base_url or connection.url
    network, verify = network_options(url, auth.client_certificate)
    return GPClient(
        url,
        token_provider=auth.token_provider,
        timeout=connection.timeout,
        verify=verify,
        referer=connection.referer or None,
        allow_insecure_http=connection.allow_insecure_http,
        network=network,
        pool_size=pool_size(),
    )


def _server_of(connection: Connection, url: str | None) -> str:
    """``""`` for the connection's own server, else the services root of ``url``'s server
    (another server: a portal connection's)."""
    if not url:
        return ""
    try:
        services = parse_server_url(url).services_url
        if services.lower() == parse_server_url(connection.url).services_url.lower():
            return ""
    except InvalidUrlError:
        return ""
    return services


def client_for(connection: Connection, url: str | None = None) -> GPClient:
    """The shared client of a connection, or of the server hosting ``url`` (a task or
    service of a portal connection); made on first use, remade when QGIS's network
    settings changed since."""
    server = _server_of(connection, url)
    fingerprint = network_fingerprint(server or connection.url)
    key = (connection, server)
    with _lock:
        entry = _clients.get(key)
        if entry is not None and entry[1] == fingerprint:
            return entry[0]
        client = new_client(connection, server or None)
        if entry is not None:
            _retired.append(entry[0])
        _clients[key] = (client, fingerprint)
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
