"""What ``execute`` and ``submitJob`` send besides the inputs: a run's environment.

Output and processing spatial references, ``context``, ``returnZ``/``returnM``, as
form fields in the order the API names them, and :func:`run_environment`, which
picks the form (``context`` or ``env:outSR``/``env:processSR``) a server of a given
version reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .encoding import encode_value, to_json


def sr_value(sr: Any) -> str | None:
    """``4326`` / ``"4326"`` / ``{"wkid": 4326}`` / ``{"wkt": ...}`` as the API expects."""
    if sr is None:
        return None
    if isinstance(sr, bool):
        raise TypeError("a spatial reference cannot be a boolean")
    if isinstance(sr, int):
        return to_json({"wkid": sr})
    if isinstance(sr, str):
        text = sr.strip()
        return to_json({"wkid": int(text)}) if text.isdigit() else text
    if isinstance(sr, Mapping):
        return to_json(dict(sr))
    raise TypeError(f"cannot use a {type(sr).__name__} as a spatial reference")


@dataclass(frozen=True)
class RunOptions:
    """What ``execute`` and ``submitJob`` take besides the inputs, as form fields."""

    out_sr: Any = None
    process_sr: Any = None
    context: Any = None
    return_z: bool = False
    return_m: bool = False

    def fields(self) -> list[tuple[str, str | bytes]]:
        """``env:outSR``, ``env:processSR``, ``context``, ``returnZ``, ``returnM``: only
        those set, in this order."""
        fields: list[tuple[str, str | bytes]] = []
        for name, sr in (("env:outSR", self.out_sr), ("env:processSR", self.process_sr)):
            value = sr_value(sr)
            if value is not None:
                fields.append((name, value))
        if self.context is not None:
            encoded = encode_value(self.context)
            if encoded is not None:
                fields.append(("context", encoded))
        if self.return_z:
            fields.append(("returnZ", "true"))
        if self.return_m:
            fields.append(("returnM", "true"))
        return fields


#: ArcGIS Server 10.6.1 (``currentVersion`` 10.61) reads a run's spatial references from
#: ``context``; older servers know only ``env:outSR``/``env:processSR`` and ignore it.
CONTEXT_VERSION = 10.61


def run_environment(
    server_version: float | None,
    out_sr: Any = None,
    process_sr: Any = None,
    extent: Any = None,
) -> dict[str, Any]:
    """Keyword arguments of :meth:`GPClient.execute` / :meth:`GPClient.submit_job` that set
    a run's output and processing spatial references and its extent the way the server
    reads them.

    ``server_version`` is the service's ``currentVersion``: from 10.6.1 on the references
    go as ``context={"outSR": …, "processSR": …}``; before, as ``env:outSR`` /
    ``env:processSR``. When the version is unknown both forms go (with the same values),
    so that whichever one the server reads gives the run the user asked for. Nothing
    goes for a reference that is ``None`` (the server's own).

    ``extent`` (an Esri envelope with its ``spatialReference``) exists only in ``context``;
    a caller refuses it for servers before 10.6.1, which would ignore it.
    """
    references = {"outSR": out_sr, "processSR": process_sr}
    references = {k: v for k, v in references.items() if v is not None}
    context = {**references, **({"extent": extent} if extent is not None else {})}
    if not context:
        return {}
    legacy = {"out_sr": out_sr, "process_sr": process_sr} if references else {}
    if server_version is None:
        return {"context": context, **legacy}
    if server_version >= CONTEXT_VERSION:
        return {"context": context}
    return {**({"context": {"extent": extent}} if extent is not None else {}), **legacy}
