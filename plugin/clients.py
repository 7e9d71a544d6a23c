"""One REST client per connection: the bridge from QGIS settings to the plain `rest` layer.

Clients are shared (one pooled ``requests`` session per connection) and thread-safe for
the calls the provider makes from Processing's worker threads.
"""

from __future__ import annotations

import threading

from .auth import token_provider_for
from .connections import Connection
from .rest.client import GPClient

_clients: dict[Connection, GPClient] = {}
_lock = threading.Lock()


def client_for(connection: Connection) -> GPClient:
    """The shared client of a connection (made on first use)."""
    with _lock:
        client = _clients.get(connection)
        if client is None:
            client = GPClient(
                connection.url,
                token_provider=token_provider_for(connection),
                timeout=connection.timeout,
                referer=connection.referer or None,
                allow_insecure_http=connection.allow_insecure_http,
            )
            _clients[connection] = client
        return client


def forget_clients() -> None:
    """Close every session (plugin unload, or connections changed)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
