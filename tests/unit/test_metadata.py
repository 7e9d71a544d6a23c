"""metadata.txt must satisfy the official QGIS plugin repository and match the changelog."""

from __future__ import annotations

import configparser
import re

from tests.conftest import ROOT

REQUIRED = (
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "repository",
    "tracker",
    "homepage",
    "tags",
    "category",
    "icon",
    "hasProcessingProvider",
    "experimental",
    "changelog",
)


def _metadata() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_every_required_key_is_present_and_filled() -> None:
    meta = _metadata()
    missing = [key for key in REQUIRED if not meta.get(key, "").strip()]
    assert missing == []


def test_names_and_versions_are_the_stable_ones() -> None:
    meta = _metadata()
    assert meta["name"] == "ArcGIS Geoprocessing Services"
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["hasProcessingProvider"] == "yes"
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert (ROOT / meta["icon"]).is_file()


def test_version_is_the_newest_changelog_entry() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\d+\.\d+\.\d+)", changelog, re.MULTILINE)
    assert newest is not None, "CHANGELOG.md has no '## x.y.z' entry"
    assert newest.group(1) == _metadata()["version"]
    assert _metadata()["changelog"].splitlines()[1].strip().startswith(newest.group(1))


def test_repository_urls_are_https() -> None:
    meta = _metadata()
    for key in ("repository", "tracker", "homepage"):
        assert meta[key].startswith("https://"), key
