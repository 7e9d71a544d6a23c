"""Walk a big JSON document without building it: small values are parsed, one
array of records is streamed one element at a time. Plain Python (no QGIS).

A GP result may hold hundreds of megabytes of features; ``json.load`` would turn
them into one Python object ~10x the file size. Here the text is read in chunks,
``json.JSONDecoder.raw_decode`` parses each value (C speed) straight from the
buffer, and only the current chunk plus one value are ever in memory. Which
objects to enter and which arrays to stream is decided by key, so the same walk
serves a bare FeatureSet, a GP result ``{"paramName", "value": ...}``, a
FeatureCollection and an execute response ``{"results": [...]}``.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import json.scanner
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from .errors import EsriJsonError

CHUNK_CHARS = 1 << 20
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_TAIL = re.compile(r"[0-9.eE+-]*")
_decode = json.JSONDecoder().raw_decode
#: The C scanner behind ``raw_decode``, called directly in the streamed array's loop:
#: the Python wrapper (and its exception translation) cost ~15 % of a 100,000-feature
#: read (tests/benchmarks/RESULTS.md, target 3).
_scan_once = json.scanner.make_scanner(json.JSONDecoder())

#: Where a node sits in the document: the keys and list indexes from the root down.
JsonPath = tuple[str | int, ...]


@dataclass
class Node:
    """One JSON object entered by the walk: its small values and entered children."""

    values: dict[str, Any] = field(default_factory=dict)
    children: dict[str, Node] = field(default_factory=dict)
    lists: dict[str, list[Node | None]] = field(default_factory=dict)
    #: for an object holding a streamed array: the array's key and its length
    stream_key: str | None = None
    stream_count: int = 0
    path: JsonPath = ()


@dataclass(frozen=True)
class WalkRules:
    """Which keys lead into objects, which into arrays of objects, which to stream."""

    enter: frozenset = frozenset()
    enter_lists: frozenset = frozenset()
    stream: str = ""


def _number_may_continue(obj: Any, text: str, end: int) -> bool:
    """True when ``obj`` is a number and everything after it is number characters."""
    return (
        isinstance(obj, (int, float))
        and not isinstance(obj, bool)
        and _NUMBER_TAIL.fullmatch(text, end) is not None
    )


class TextBuffer:
    """UTF-8 text read in chunks from a binary stream, with a moving read position."""

    def __init__(self, raw: IO[bytes], chunk_chars: int = CHUNK_CHARS) -> None:
        self._raw = raw
        self._chunk = chunk_chars
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self.text = ""
        self.pos = 0
        self.eof = False
        self.consumed = 0  # characters dropped from the front, for error offsets

    def fill(self) -> bool:
        """Append more text (at least doubling what is unread); False at the end."""
        if self.eof:
            return False
        unread = len(self.text) - self.pos
        data = self._raw.read(max(self._chunk, unread))
        try:
            more = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            raise EsriJsonError(f"the response is not UTF-8 text: {error}") from None
        if not data:
            self.eof = True
        if self.pos:
            self.consumed += self.pos
            self.text = self.text[self.pos :] + more
            self.pos = 0
        else:
            self.text += more
        return bool(data) or bool(more)

    def peek(self) -> str:
        """The next non-blank character, not consumed; '' at the end."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        """Parse the next complete JSON value."""
        self.peek()
        while True:
            try:
                obj, end = _decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self.fill():
                    continue
                raise self.error(f"invalid JSON ({error.msg})") from None
            except RecursionError:
                raise self.error("JSON nested too deeply") from None
            # A value that ends with the buffer, or a number followed only by what could
            # continue it ("12." + "5"), may go on in the next chunk.
            if (
                not self.eof
                and (end >= len(self.text) or _number_may_continue(obj, self.text, end))
                and self.fill()
            ):
                continue
            self.pos = end
            return obj

    def error(self, message: str) -> EsriJsonError:
        return EsriJsonError(f"{message} at character {self.consumed + self.pos}")


class ByteCountingBuffer(TextBuffer):
    """A :class:`TextBuffer` that also knows the byte offset of its read position, so
    that a value found by a walk can be read again later as a range of the file."""

    def __init__(self, raw: IO[bytes], chunk_chars: int = CHUNK_CHARS) -> None:
        super().__init__(raw, chunk_chars)
        start = raw.tell()
        # The "utf-8-sig" decoder drops a byte order mark: count its bytes here.
        self.consumed_bytes = start + (3 if raw.read(3) == codecs.BOM_UTF8 else 0)
        raw.seek(start)

    def fill(self) -> bool:
        if not self.eof and self.pos:
            self.consumed_bytes += len(self.text[: self.pos].encode("utf-8"))
        return super().fill()

    def byte_offset(self) -> int:
        """Offset in the file of the character at the read position."""
        return self.consumed_bytes + len(self.text[: self.pos].encode("utf-8"))


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``start`` to ``end`` of a file: one JSON value inside a bigger document,
    read in place (each ``open`` opens the file anew, so no handle outlives a pass)."""

    path: str
    start: int
    end: int

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        with open(self.path, "rb") as raw:
            raw.seek(self.start)
            yield _Window(raw, self.end - self.start)

    def read(self) -> bytes:
        """The whole range (for values known to be small)."""
        with self.open() as window:
            return window.read()


class _Window:
    """A binary file seen from its read position for ``size`` bytes: ``read`` stops there."""

    def __init__(self, raw: IO[bytes], size: int) -> None:
        self._raw = raw
        self._left = size

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self._left:
            size = self._left
        data = self._raw.read(size)
        self._left -= len(data)
        return data

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        raise OSError("a byte range is read from its start only")


def _members(buffer: TextBuffer) -> Iterator[str]:
    """Keys of the object at the read position; after each key the value is next."""
    buffer.expect("{")
    if buffer.peek() == "}":
        buffer.pos += 1
        return
    while True:
        key = buffer.value()
        if not isinstance(key, str):
            raise buffer.error("expected an object key")
        buffer.expect(":")
        yield key
        char = buffer.peek()
        buffer.pos += 1
        if char == "}":
            return
        if char != ",":
            raise buffer.error("expected ',' or '}'")


def _array_opens(buffer: TextBuffer) -> bool:
    """Consume ``[`` at the read position; False (and ``]`` consumed) for ``[]``."""
    buffer.expect("[")
    if buffer.peek() == "]":
        buffer.pos += 1
        return False
    return True


def _array_goes_on(buffer: TextBuffer) -> bool:
    """After an element: consume ``,`` (True: another element) or ``]`` (False)."""
    char = buffer.peek()
    buffer.pos += 1
    if char == "]":
        return False
    if char != ",":
        raise buffer.error("expected ',' or ']'")
    return True


def _elements(buffer: TextBuffer) -> Iterator[None]:
    """Positions on each element of the array at the read position."""
    if not _array_opens(buffer):
        return
    while True:
        yield None
        if not _array_goes_on(buffer):
            return


def _array_values(buffer: TextBuffer) -> Iterator[Any]:
    """The parsed elements of the array at the read position, one at a time.

    The hot loop of a big result: an element that ends inside the buffer and is
    followed straight by ``,`` or ``]`` (compact JSON, as ArcGIS writes it) costs one
    C scanner call; whitespace, a buffer boundary and errors take the general path of
    ``TextBuffer.value`` and ``peek``, so the result is the same either way.
    """
    if not _array_opens(buffer):
        return
    while True:
        text, pos = buffer.text, buffer.pos
        try:
            item, end = _scan_once(text, pos)
        except (StopIteration, ValueError, RecursionError):
            end = len(text)  # not complete here, or invalid: the general path decides
        char = text[end] if end < len(text) else ""
        if char == ",":
            buffer.pos = end + 1
            yield item
            continue
        if char == "]":
            buffer.pos = end + 1
            yield item
            return
        buffer.pos = pos
        yield buffer.value()
        if not _array_goes_on(buffer):
            return


def walk_text(
    buffer: TextBuffer, rules: WalkRules, node: Node, target: JsonPath | None
) -> Iterator[Any]:
    """Walk the object at the read position into ``node``; yield the elements of
    the streamed array at ``target`` (others are only counted)."""
    for key in _members(buffer):
        char = buffer.peek()
        path = (*node.path, key)
        if key == rules.stream and char == "[":
            node.stream_key = key
            count = 0
            streaming = path == target
            for item in _array_values(buffer):
                count += 1
                if streaming:
                    yield item
            node.stream_count = count
            if streaming:
                return
        elif key in rules.enter and char == "{":
            child = node.children[key] = Node(path=path)
            yield from walk_text(buffer, rules, child, target)
            if target is not None and target[: len(path)] == path:
                return
        elif key in rules.enter_lists and char == "[":
            entries: list[Node | None] = []
            node.lists[key] = entries
            for index, _ in enumerate(_elements(buffer)):
                if buffer.peek() == "{":
                    child = Node(path=(*path, index))
                    entries.append(child)
                    yield from walk_text(buffer, rules, child, target)
                    if target is not None and target[: len(child.path)] == child.path:
                        return
                else:
                    entries.append(None)
                    buffer.value()
        else:
            node.values[key] = buffer.value()


def walk_object(obj: dict, rules: WalkRules, path: JsonPath = ()) -> Node:
    """The same Node tree for a document already in memory (nothing is copied)."""
    node = Node(path=path)
    for key, value in obj.items():
        key_path = (*path, key)
        if key == rules.stream and isinstance(value, list):
            node.stream_key = key
            node.stream_count = len(value)
        elif key in rules.enter and isinstance(value, dict):
            node.children[key] = walk_object(value, rules, key_path)
        elif key in rules.enter_lists and isinstance(value, list):
            node.lists[key] = [
                walk_object(item, rules, (*key_path, index)) if isinstance(item, dict) else None
                for index, item in enumerate(value)
            ]
        else:
            node.values[key] = value
    return node


def resolve(obj: Any, path: JsonPath) -> Any:
    """The value at ``path`` inside an in-memory document."""
    for step in path:
        obj = obj[step]
    return obj
