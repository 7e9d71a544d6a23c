"""Encode GP input values into the form fields the REST API expects.

The API takes every parameter as a form field: strings as they are, booleans as
``true``/``false``, numbers as JSON numbers, objects and arrays as compact JSON.
Feature inputs can be hundreds of megabytes, so :class:`RawJson` lets a caller
hand over an already encoded value (built once, streamed from a file, ...) and
:func:`encode_form` writes the request body straight from it without another
JSON round trip.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote_from_bytes, quote_plus


@dataclass(frozen=True)
class RawJson:
    """A value that is already JSON text; sent exactly as given."""

    text: str | bytes

    def as_bytes(self) -> bytes:
        """UTF-8 bytes of the JSON text."""
        return self.text if isinstance(self.text, bytes) else self.text.encode("utf-8")

    def __repr__(self) -> str:
        # A FeatureSet of 100 MB must never end up in a log line or a traceback.
        return f"RawJson(<{len(self.text)} {'bytes' if isinstance(self.text, bytes) else 'chars'}>)"


def to_json(value: Any) -> str:
    """Compact JSON, as small as the server accepts; ``NaN``/``inf`` refused."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_value(value: Any) -> str | bytes | None:
    """One GP value as a form field value; ``None`` means "leave the field out"."""
    if value is None:
        return None
    if isinstance(value, RawJson):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be sent: JSON has no NaN or infinity")
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"{value!r} cannot be sent: JSON has no NaN or infinity")
            return str(value)
        return json.dumps(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (Mapping, list, tuple)):
        try:
            return to_json(value)
        except ValueError as error:
            raise ValueError(f"cannot encode value as JSON: {error}") from None
    raise TypeError(
        f"cannot send a {type(value).__name__} as a GP value; "
        "use str, bool, int, float, dict, list or RawJson"
    )


def encode_inputs(inputs: Mapping[str, Any]) -> dict[str, str | bytes]:
    """Encode a ``{parameter name: value}`` mapping; ``None`` values are dropped."""
    fields: dict[str, str | bytes] = {}
    for name, value in inputs.items():
        encoded = encode_value(value)
        if encoded is not None:
            fields[str(name)] = encoded
    return fields


_FORM_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


class FormBody:
    """A form-encoded request body produced piece by piece.

    ``requests`` sends file-like bodies in blocks; this one percent-encodes each
    block of the (possibly huge) values only when it is read, and knows its
    length up front (``Content-Length``, not chunked transfer, which some servers
    refuse). A 100 MB FeatureSet is therefore never copied whole into a second,
    larger, encoded string.
    """

    def __init__(self, fields: Iterable[tuple[str, str | bytes]]) -> None:
        self._parts: list[bytes] = []
        for index, (name, value) in enumerate(fields):
            raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
            prefix = ("&" if index else "") + quote_plus(str(name)) + "="
            self._parts.append(prefix.encode("ascii"))
            self._parts.append(raw)
        self._length = sum(
            len(part) if i % 2 == 0 else _quoted_length(part) for i, part in enumerate(self._parts)
        )
        self.seek(0)

    def __len__(self) -> int:
        return self._length

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only rewinding to the start is supported (for redirects and retries)."""
        if offset != 0 or whence != 0:
            raise OSError("FormBody can only be rewound to its start")
        self._part = 0
        self._pos = 0
        self._sent = 0
        return 0

    def tell(self) -> int:
        """Bytes produced so far."""
        return self._sent

    def read(self, size: int = -1) -> bytes:
        """The next piece of the body; ``b""`` at the end."""
        if size is None or size < 0:
            size = self._length
        out: list[bytes] = []
        budget = max(size, 3)
        while budget > 0 and self._part < len(self._parts):
            part = self._parts[self._part]
            if self._part % 2 == 0:
                piece = part[self._pos :]
                self._part += 1
                self._pos = 0
            else:
                # Each input byte grows to at most three: take a third of the budget.
                take = max(budget // 3, 1)
                chunk = part[self._pos : self._pos + take]
                self._pos += len(chunk)
                piece = quote_from_bytes(chunk, safe="").encode("ascii")
                if self._pos >= len(part):
                    self._part += 1
                    self._pos = 0
            out.append(piece)
            budget -= len(piece)
        data = b"".join(out)
        self._sent += len(data)
        return data


def _quoted_length(raw: bytes) -> int:
    unsafe = len(raw.translate(None, _FORM_SAFE))
    return len(raw) + 2 * unsafe


def encode_form(fields: Iterable[tuple[str, str | bytes]]) -> bytes:
    """The whole form body at once (small requests, tests)."""
    return FormBody(fields).read()
