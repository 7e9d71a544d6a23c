"""GP parameter categories as an order QGIS can show.

ArcGIS groups a tool's parameters under collapsible categories; QGIS's algorithm dialog
(3.22 and later) has no groups, only its "Advanced parameters" box. So the plugin keeps a
category's parameters together instead: the parameters without a category first, as the
task lists them, then each category's parameters, categories in order of first appearance.
The label names the category (``base.dialog_label``) and its optional parameters go to the
advanced box (``base.apply_common``). Parameter names never change: scripts use them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..rest.descriptions import GPParameter


def in_category_order(params: Iterable[GPParameter]) -> list[GPParameter]:
    """Uncategorised parameters first, then each category's together (a stable order)."""
    ordered = list(params)
    first_seen: dict[str, int] = {}
    for param in ordered:
        if param.category:
            first_seen.setdefault(param.category, len(first_seen) + 1)
    return sorted(ordered, key=lambda param: first_seen.get(param.category, 0))
