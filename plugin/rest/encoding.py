"""Encode GP input values into the form fields the REST API expects.

The API takes every parameter as a form field: strings as they are, booleans as
``true``/``false``, numbers as JSON numbers, objects and arrays as compact JSON.
Feature inputs can be hundreds of megabytes, so :class:`RawJson` lets a caller
hand over an already encoded value and :class:`RawJsonFile` one that is in a file;
:class:`FormBody` writes the request body straight from either, block by block,
without another JSON round trip and without reading the file into memory.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus


@dataclass(frozen=True)
class RawJson:
    """A value that is already JSON text; sent exactly as given."""

    text: str | bytes

    def as_bytes(self) -> bytes:
        """UTF-8 bytes of the JSON text."""
        return self.text if isinstance(self.text, bytes) else self.text.encode("utf-8")

    @property
    def size(self) -> int:
        """Length of the text (bytes, or characters for a str), without reading a file."""
        return len(self.text)

    def __repr__(self) -> str:
        # A FeatureSet of 100 MB must never end up in a log line or a traceback.
        return f"RawJson(<{len(self.text)} {'bytes' if isinstance(self.text, bytes) else 'chars'}>)"


class RawJsonFile(RawJson):
    """JSON text (UTF-8) kept in a file; :class:`FormBody` streams it into the request.

    A feature input encoded to a temporary file is sent from there: the body is never
    built in memory, not even once. ``text`` still works (it reads the whole file) for
    callers that need the value itself, e.g. a small one kept in a job record; prefer
    ``size`` to decide. The file must stay in place until the request is sent.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:  # no dataclass init: no text
        object.__setattr__(self, "path", Path(path))

    @property
    def text(self) -> bytes:  # type: ignore[override]
        return self.path.read_bytes()

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def as_bytes(self) -> bytes:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawJsonFile) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    def __repr__(self) -> str:
        try:
            return f"RawJsonFile(<{self.size} bytes>)"
        except OSError:
            return "RawJsonFile(<missing file>)"


class RawJsonArray(RawJson):
    """A JSON array of values some of which are :class:`RawJson` (e.g. several feature
    sets of a GPMultiValue:GPFeatureRecordSetLayer input), sent without parsing them:
    :class:`FormBody` streams file-backed items from their files."""

    def __init__(self, items: Iterable[Any]) -> None:
        object.__setattr__(self, "items", tuple(items))

    def segments(self) -> list[bytes | Path]:
        """The array's text as pieces: bytes, or the path of a :class:`RawJsonFile`."""
        pieces: list[bytes | Path] = [b"["]
        for index, item in enumerate(self.items):
            if index:
                pieces.append(b",")
            if isinstance(item, RawJsonFile):
                pieces.append(item.path)
            elif isinstance(item, RawJson):
                pieces.append(item.as_bytes())
            else:
                pieces.append(to_json(item).encode("utf-8"))
        pieces.append(b"]")
        return pieces

    @property
    def text(self) -> bytes:  # type: ignore[override]
        return b"".join(p.read_bytes() if isinstance(p, Path) else p for p in self.segments())

    @property
    def size(self) -> int:
        return sum(p.stat().st_size if isinstance(p, Path) else len(p) for p in self.segments())

    def as_bytes(self) -> bytes:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawJsonArray) and other.items == self.items

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return f"RawJsonArray(<{len(self.items)} items>)"


def to_json(value: Any) -> str:
    """Compact JSON, as small as the server accepts; ``NaN``/``inf`` refused."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_value(value: Any) -> str | bytes | RawJson | None:
    """One GP value as a form field value; ``None`` means "leave the field out".

    A :class:`RawJsonFile` stays as it is and a list holding :class:`RawJson` values
    becomes a :class:`RawJsonArray`: :class:`FormBody` streams both.
    """
    if value is None:
        return None
    if isinstance(value, (RawJsonFile, RawJsonArray)):
        return value
    if isinstance(value, (list, tuple)) and any(isinstance(v, RawJson) for v in value):
        return RawJsonArray(value)
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


def encode_inputs(inputs: Mapping[str, Any]) -> dict[str, str | bytes | RawJson]:
    """Encode a ``{parameter name: value}`` mapping; ``None`` values are dropped."""
    fields: dict[str, str | bytes | RawJson] = {}
    for name, value in inputs.items():
        encoded = encode_value(value)
        if encoded is not None:
            fields[str(name)] = encoded
    return fields


_FORM_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_PERCENT = {byte: b"%%%02X" % byte for byte in range(256) if byte not in _FORM_SAFE}
#: raw bytes percent-encoded per step (at most three times as many come out)
BLOCK = 1 << 16


def quote_block(raw: bytes) -> bytes:
    """Percent-encode every byte outside ``[A-Za-z0-9_.~-]`` (as ``quote_plus`` with
    ``safe=""`` and ``%20`` for spaces).

    One ``bytes.replace`` per distinct unsafe byte present (JSON uses about ten: ``{}[]":,``
    ...): all C loops, ~8x faster than ``urllib.parse.quote_from_bytes``, which costs
    more than encoding the FeatureSet itself (tests/benchmarks/bench_inputs.py).
    """
    unsafe = set(raw.translate(None, _FORM_SAFE))
    if not unsafe:
        return raw
    if 0x25 in unsafe:  # "%" first, or the escapes made below would be escaped again
        raw = raw.replace(b"%", b"%25")
        unsafe.discard(0x25)
    for byte in unsafe:
        raw = raw.replace(bytes((byte,)), _PERCENT[byte])
    return raw


def _quoted_length(raw: bytes) -> int:
    return len(raw) + 2 * len(raw.translate(None, _FORM_SAFE))


def _file_quoted_length(path: Path) -> int:
    length = 0
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            length += _quoted_length(block)
    return length


class FormBody:
    """A form-encoded request body produced piece by piece.

    ``requests`` sends file-like bodies in blocks; this one percent-encodes each
    block of the (possibly huge) values only when it is read, and knows its
    length up front (``Content-Length``, not chunked transfer, which some servers
    refuse). A 100 MB FeatureSet is therefore never copied whole into a second,
    larger, encoded string, and a :class:`RawJsonFile` value is read from its file
    block by block (its length costs one extra pass over the file, no memory).
    """

    def __init__(self, fields: Iterable[tuple[str, str | bytes | RawJson]]) -> None:
        #: (name prefix, value segments); a segment is bytes or a file to read
        self._parts: list[tuple[bytes, list[bytes | Path]]] = []
        self._length = 0
        for index, (name, value) in enumerate(fields):
            prefix = (("&" if index else "") + quote_plus(str(name)) + "=").encode("ascii")
            if isinstance(value, RawJsonArray):
                segments = value.segments()
            elif isinstance(value, RawJsonFile):
                segments = [value.path]
            else:
                segments = [value if isinstance(value, bytes) else str(value).encode("utf-8")]
            self._parts.append((prefix, segments))
            self._length += len(prefix) + sum(
                _file_quoted_length(s) if isinstance(s, Path) else _quoted_length(s)
                for s in segments
            )
        self._pieces: Iterator[bytes] | None = None
        self.seek(0)

    def __len__(self) -> int:
        return self._length

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only rewinding to the start is supported (for redirects and retries)."""
        if offset != 0 or whence != 0:
            raise OSError("FormBody can only be rewound to its start")
        if self._pieces is not None:
            self._pieces.close()  # closes a file being read
        self._pieces = self._generate()
        self._pending = b""
        self._offset = 0
        self._sent = 0
        return 0

    def tell(self) -> int:
        """Bytes produced so far."""
        return self._sent

    def _generate(self) -> Iterator[bytes]:
        for prefix, segments in self._parts:
            yield prefix
            for segment in segments:
                if isinstance(segment, Path):
                    with segment.open("rb") as source:
                        while block := source.read(BLOCK):
                            yield quote_block(block)
                else:
                    for start in range(0, len(segment), BLOCK):
                        yield quote_block(segment[start : start + BLOCK])

    def read(self, size: int = -1) -> bytes:
        """The next piece of the body; ``b""`` at the end."""
        if size is None or size < 0:
            size = self._length
        out: list[bytes] = []
        need = size
        while need > 0:
            if self._offset >= len(self._pending):
                self._pending = next(self._pieces, b"")  # type: ignore[arg-type]
                self._offset = 0
                if not self._pending:
                    break
            piece = self._pending[self._offset : self._offset + need]
            self._offset += len(piece)
            need -= len(piece)
            out.append(piece)
        data = out[0] if len(out) == 1 else b"".join(out)
        self._sent += len(data)
        return data

    def close(self) -> None:
        """Release an open value file (also done when the body is rewound)."""
        if self._pieces is not None:
            self._pieces.close()
