"""The one reader of the QGIS auth database (connections/qgis_auth.py), as the
GPStringHidden handler and the connections both use it.

A connection's Basic login and a hidden string's secret come out of the same function,
so they cannot drift apart (which key a method keeps its secret under, the master
password, a configuration that is not there).
"""

from __future__ import annotations

from arcgis_gp.plugin.connections.qgis_auth import load_auth_config, secret_from_auth_config
from tests.qgis_auth import store_auth_config


def test_one_reader_gives_each_methods_secret(qgis_auth_manager) -> None:
    basic = store_auth_config(
        qgis_auth_manager, "Basic", "hidden basic", {"username": "u", "password": "pw-1"}
    )
    esritoken = store_auth_config(qgis_auth_manager, "EsriToken", "hidden token", {"token": "tk-2"})
    try:
        assert secret_from_auth_config(basic) == "pw-1"
        assert secret_from_auth_config(esritoken) == "tk-2"
        config = load_auth_config(basic)
        assert config is not None
        assert (config.method(), config.config("username")) == ("Basic", "u")
    finally:
        qgis_auth_manager.removeAuthenticationConfig(basic)
        qgis_auth_manager.removeAuthenticationConfig(esritoken)


def test_a_value_that_is_no_configuration_is_no_secret(qgis_auth_manager) -> None:
    # Scripts may pass a GPStringHidden value in clear: it is then sent as given.
    assert secret_from_auth_config("plain-secret-value") is None
    assert secret_from_auth_config("") is None
    assert load_auth_config("zzzzzzz") is None  # an id of the right shape, not stored


def test_a_configuration_without_a_secret_gives_none(qgis_auth_manager) -> None:
    empty = store_auth_config(qgis_auth_manager, "Basic", "no password", {"username": "u"})
    try:
        assert secret_from_auth_config(empty) is None
    finally:
        qgis_auth_manager.removeAuthenticationConfig(empty)
