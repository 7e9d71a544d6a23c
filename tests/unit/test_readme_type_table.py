"""The README's GP type table names every type the type table handles, and no other."""

from __future__ import annotations

import re

from arcgis_gp.plugin.gptypes.table import GP_TYPES
from tests.conftest import ROOT


def _readme_types() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## GP types", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for row in section.splitlines():
        if row.startswith("| `"):
            first_cell = row.split("|")[1]
            names.update(re.findall(r"`([A-Za-z]+)(?::T)?`", first_cell))
    return names


def test_readme_lists_exactly_the_handled_types() -> None:
    assert _readme_types() == set(GP_TYPES)
