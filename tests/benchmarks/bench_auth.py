"""Benchmark (issue 19, item 1): what asking QGIS for the headers at every request costs,
and what checking QGIS's network settings at every run costs.

Run: ``.venv/bin/python -m tests.benchmarks.bench_auth``.

A throw-away auth database (temporary ``QGIS_AUTH_DB_DIR_PATH``) holds an EsriToken
configuration; the plugin's header source
(``plugin.connections.qgis_auth.qgis_header_source``, QGIS's ``updateNetworkRequest``) is
asked 20,000 times, and ``qgis_network.network_fingerprint`` (done once per run or catalog
refresh) 200 times for an http and an https URL.
No target: the figures say whether a cache would be worth its staleness (it is not).
"""

from __future__ import annotations

import os
import tempfile
import time


def main() -> int:
    os.environ["QGIS_AUTH_DB_DIR_PATH"] = tempfile.mkdtemp(prefix="bench-authdb-") + "/"
    from tests.benchmarks.common import figure, qgis_app

    app = qgis_app()  # noqa: F841
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)
    from arcgis_gp.plugin.connections.connection import Connection
    from arcgis_gp.plugin.connections.qgis_auth import qgis_header_source
    from arcgis_gp.plugin.connections.qgis_network import network_fingerprint

    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("bench-master", True)
    config = QgsAuthMethodConfig("EsriToken")
    config.setName("bench")
    config.setConfig("token", "x" * 64)
    stored = manager.storeAuthenticationConfig(config)
    config = stored[1] if isinstance(stored, tuple) else config
    connection = Connection(
        "bench", "https://gis.example.com/arcgis/rest/services", authcfg=config.id()
    )
    headers = qgis_header_source(connection)
    assert headers()["X-Esri-Authorization"].startswith("Bearer ")
    count = 20_000
    start = time.perf_counter()
    for _ in range(count):
        headers()
    per_call = (time.perf_counter() - start) / count
    figure("QGIS auth headers per request (EsriToken)", f"{per_call * 1e6:8.1f} µs")
    _bench_oauth2(manager)
    for url in ("http://gis.example.com/arcgis", "https://gis.example.com/arcgis"):
        start = time.perf_counter()
        for _ in range(200):
            network_fingerprint(url)
        per_call = (time.perf_counter() - start) / 200
        figure(
            f"network settings fingerprint per run ({url[:5].rstrip(':')})",
            f"{per_call * 1e3:8.2f} ms",
        )
    return 0


def _bench_oauth2(manager) -> None:
    """QGIS's OAuth2 method, linked to the test portal (code flow), asked per request:
    it checks its token cache file and the expiry each time; and the plugin's
    HeaderProvider on a federated server, whose exchanged server token is reused."""
    import json

    from arcgis_gp.plugin.connections.connection import Connection
    from arcgis_gp.plugin.connections.qgis_auth import qgis_header_source
    from arcgis_gp.plugin.rest.auth import TokenSite
    from arcgis_gp.plugin.rest.logins import HeaderProvider
    from tests import qgis_oauth2 as oauth2
    from tests.benchmarks.common import figure
    from tests.gpserver.server import GPServer
    from tests.qgis_auth import store_auth_config

    # QGIS keeps the OAuth2 token cache in <temp>/oauth2-cache, which any QGIS process
    # that exits empties: a folder of our own (see tests/integration/auth/test_oauth2.py)
    os.environ["TMPDIR"] = tempfile.mkdtemp(prefix="bench-oauth2-")
    with GPServer() as server:
        server.federated = True
        port = oauth2.free_port()
        server.oauth.register(oauth2.CLIENT_ID, [f"http://127.0.0.1:{port}/"])
        authcfg = store_auth_config(
            manager,
            "OAuth2",
            "bench",
            {"oauth2config": json.dumps(oauth2.oauth2_config(server, port))},
        )
        browser = oauth2.sign_in_as_a_browser_would(server, port)
        oauth2.qgis_headers(authcfg)
        browser.join(10)
        connection = Connection("bench", server.services_url, authcfg=authcfg)
        headers = qgis_header_source(connection)
        count = 5_000
        start = time.perf_counter()
        for _ in range(count):
            headers()
        per_call = (time.perf_counter() - start) / count
        figure("QGIS auth headers per request (OAuth2, linked)", f"{per_call * 1e6:8.1f} µs")
        site = TokenSite(
            context_url=server.context_url,
            get_info=lambda: {
                "owningSystemUrl": server.portal_url,
                "authInfo": {"tokenServicesUrl": f"{server.portal_url}/sharing/rest/generateToken"},
            },
            post_form=lambda url, form, secrets: (
                __import__("requests").post(url, data=form, timeout=10).json()
            ),
            allow_insecure_http=True,
        )
        provider = HeaderProvider(headers)
        assert provider.headers(site)["X-Esri-Authorization"].startswith("Bearer ")
        start = time.perf_counter()
        for _ in range(count):
            provider.headers(site)
        per_call = (time.perf_counter() - start) / count
        figure(
            "plugin headers per request (OAuth2, federated: exchanged token reused)",
            f"{per_call * 1e6:8.1f} µs",
        )
        manager.removeAuthenticationConfig(authcfg)


if __name__ == "__main__":
    raise SystemExit(main())
