"""Tolerant readers of the fields of a server's JSON.

Real servers bend the schema: keys go missing or are ``null``, numbers arrive as
strings, enumerations come with or without their ``esri...`` prefix. These readers
accept all of that, and what they cannot make sense of at all raises
:class:`ArcGisInvalidResponseError` (never ``KeyError``/``TypeError``), so the typed
views built on them (:mod:`.descriptions`, :mod:`.job_info`, :mod:`.results`) fail
one task at a time, never with a crash.

They are on the hot path of QGIS's start-up (the catalog cache parses thousands of
parameters), hence the plain-``dict`` and plain-``str`` shortcuts.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

from .errors import ArcGisInvalidResponseError


def as_text(value: Any, default: str = "") -> str:
    """A display string from whatever the server put there (``None`` -> default)."""
    if type(value) is str:  # nearly always: checked first (thousands per cache load)
        return value
    if value is None:
        return default
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return default


def as_number(value: Any) -> float | None:
    """A finite float from a number or numeric string, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def as_int(value: Any) -> int | None:
    """An integer (truncated) from a number or numeric string, else ``None``."""
    number = as_number(value)
    return int(number) if number is not None else None


def as_mapping(value: Any, what: str, url: str | None = None) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an error naming ``what`` was expected."""
    if type(value) is dict:  # the usual case, without the ABC check's cost (cache load)
        return value
    if not isinstance(value, Mapping):
        raise ArcGisInvalidResponseError(
            f"expected a JSON object for {what}, got {type(value).__name__}", url=url
        )
    return value


def is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, with the common JSON cases decided without the ABC."""
    if isinstance(value, dict):
        return True
    if value is None or isinstance(value, (str, int, float, list)):
        return False
    return isinstance(value, Mapping)


def as_list(value: Any) -> list[Any]:
    """Lists stay lists; ``None`` or anything else becomes ``[]``."""
    return list(value) if isinstance(value, (list, tuple)) else []


#: (enum class, prefix) -> {accepted spelling in lower case: member}, built on first use.
_MATCH_KEYS: dict[tuple[type[enum.Enum], str], dict[str, Any]] = {}


def _match_keys(enum_cls: type[enum.Enum], prefix: str) -> dict[str, Any]:
    """Every spelling :func:`match_enum` accepts for ``enum_cls``, the first member winning."""
    keys: dict[str, Any] = {}
    for member in enum_cls:
        full = str(member.value).lower()
        keys.setdefault(full, member)
        if full.startswith(prefix):
            keys.setdefault(full[len(prefix) :], member)
    _MATCH_KEYS[(enum_cls, prefix)] = keys
    return keys


def match_enum(enum_cls: type[enum.Enum], value: Any, prefix: str, default: Any) -> Any:
    """Match ``esri<Prefix>Name``, ``Name`` or ``name`` against an enum's values.

    One dict look-up: the catalog cache parses thousands of these at QGIS start-up,
    and walking the enum members each time was a quarter of the provider's load.
    """
    if not isinstance(value, str):
        return default
    keys = _MATCH_KEYS.get((enum_cls, prefix)) or _match_keys(enum_cls, prefix)
    return keys.get(value.strip().lower(), default)
