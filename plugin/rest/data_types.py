"""GP data type names as servers write them, read in one place.

A task parameter's ``dataType`` is a plain name (``GPLong``) or a list of an item
type, ``GPMultiValue:<item>`` (``GPMultiValue:GPString``,
``GPMultiValue:GPFeatureRecordSetLayer``): the ``:T`` part names what one value of
the list is. Servers also write ``Field`` for ``GPField``, and a stray space after
the colon. Every reader of a type name goes through :func:`split_data_type`, so
that a spelling learnt from one server is learnt everywhere.
"""

from __future__ import annotations

#: Spellings some servers use for a GP data type, mapped to the documented name.
DATA_TYPE_ALIASES = {"Field": "GPField"}

#: The one data type whose name carries an item type after a colon.
MULTI_VALUE = "GPMultiValue"


def split_data_type(data_type: str | None) -> tuple[str, str | None]:
    """``(base, item)`` of a GP data type name, aliases normalised.

    ``"GPMultiValue:GPString"`` -> ``("GPMultiValue", "GPString")``;
    ``"GPMultiValue:Field"`` -> ``("GPMultiValue", "GPField")``;
    ``"Field"`` -> ``("GPField", None)``; ``"GPLong"`` -> ``("GPLong", None)``.
    An empty item (``"GPMultiValue:"``) is ``None``, as if there were no colon.
    """
    base, colon, item = (data_type or "").partition(":")
    base = base.strip()
    base = DATA_TYPE_ALIASES.get(base, base)
    if not colon:
        return base, None
    item = item.strip()
    return base, DATA_TYPE_ALIASES.get(item, item) or None


def base_data_type(data_type: str | None) -> str:
    """The type without its ``:T`` item part (``GPMultiValue:GPString`` -> ``GPMultiValue``)."""
    return split_data_type(data_type)[0]


def item_data_type(data_type: str | None) -> str | None:
    """The ``T`` of ``GPMultiValue:T`` (``None`` for a type that names no item)."""
    return split_data_type(data_type)[1]


def value_data_type(data_type: str | None) -> str:
    """The type of one value: the item type of a list, else the type itself.

    ``GPMultiValue:GPLong`` -> ``GPLong``; ``GPLong`` -> ``GPLong``; ``Field`` -> ``GPField``.
    """
    base, item = split_data_type(data_type)
    return item if base == MULTI_VALUE and item else base
