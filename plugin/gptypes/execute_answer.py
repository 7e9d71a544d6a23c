"""An ``execute`` answer streamed to a file, indexed in one pass and read in place.

A synchronous task's answer ``{"results": [{paramName, dataType, value}, ...],
"messages": [...]}`` may carry feature sets of hundreds of megabytes. Instead of
parsing it whole, one streaming pass (:func:`index_execute_answer`) records where each
``results[i]`` entry lies in the file, with its small members and the header of any
feature set in it (the same walk :class:`~.featureset_reader.FeatureSetReader` makes,
so the reader need not make it again), and keeps every other top-level member
(``messages``, ``error`` ...) parsed.

The index is the answer with each entry's ``value`` replaced by an :class:`AnswerEntry`:
the REST layer checks it exactly as it checks an answer parsed whole (errors, missing
``results``), and the output handlers then read each value from its byte range: small
values parsed, feature sets streamed by the reader. Plain Python (no QGIS).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .errors import EsriJsonError
from .json_stream import (
    CHUNK_CHARS,
    ByteCountingBuffer,
    ByteRange,
    Node,
    WalkRules,
    _elements,
    _members,
    walk_text,
)

#: The reader's walk (see featureset_reader.RULES): feature sets and feature
#: collections are entered, ``features`` arrays are counted one feature at a time.
ENTRY_RULES = WalkRules(
    enter=frozenset({"value", "featureSet", "featureCollection"}),
    enter_lists=frozenset({"layers"}),
    stream="features",
)


@dataclass
class AnswerEntry:
    """One ``results[i]`` object of an answer on disk: its bytes and its walked header."""

    range: ByteRange
    #: The walk of the entry (paramName, dataType, small values, feature set headers),
    #: with paths relative to the entry, as a reader of ``range`` alone would make it.
    header: Node
    _value: Any = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)

    @property
    def holds_features(self) -> bool:
        """True when the value is (or wraps) a feature set: read it with the reader."""
        return _has_stream(self.header)

    def value(self) -> Any:
        """The entry's ``value``, parsed (for small values: strings, numbers, URLs)."""
        if not self._parsed and "value" in self.header.values:
            self._value, self._parsed = self.header.values["value"], True  # parsed by the walk
        if not self._parsed:
            try:
                entry = json.loads(self.range.read().decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError) as error:
                raise EsriJsonError(f"invalid result value: {error}") from None
            self._value = entry.get("value") if isinstance(entry, dict) else None
            self._parsed = True
        return self._value


def _has_stream(node: Node) -> bool:
    if node.stream_key is not None:
        return True
    children = list(node.children.values())
    children += [n for nodes in node.lists.values() for n in nodes if n is not None]
    return any(_has_stream(child) for child in children)


def index_execute_answer(
    path: str | os.PathLike[str], chunk_chars: int = CHUNK_CHARS
) -> dict[str, Any]:
    """The answer in ``path`` with each ``results[i]`` object as an :class:`AnswerEntry`
    whose ``paramName`` and ``dataType`` are copied out; every other member parsed.

    Reads the file once, holding one chunk and one small value at a time. Raises
    :class:`EsriJsonError` for text that is not a JSON object or is cut short.
    """
    path = os.fspath(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after the walk
    except OSError as error:
        raise EsriJsonError(f"cannot read {path}: {error.strerror}") from None
    with raw:
        buffer = ByteCountingBuffer(raw, chunk_chars)
        if buffer.peek() != "{":
            raise buffer.error("expected a JSON object")
        answer: dict[str, Any] = {}
        try:
            for key in _members(buffer):
                if key == "results" and buffer.peek() == "[":
                    answer[key] = [_entry(buffer, path) for _ in _elements(buffer)]
                else:
                    answer[key] = buffer.value()
        except RecursionError:
            raise buffer.error("JSON nested too deeply") from None
        if buffer.peek():
            raise buffer.error("unexpected text after the answer")
    return answer


def _entry(buffer: ByteCountingBuffer, path: str) -> Any:
    """One element of ``results``: an entry for an object, the parsed value otherwise."""
    if buffer.peek() != "{":
        return buffer.value()
    start = buffer.byte_offset()
    header = Node()
    for _ in walk_text(buffer, ENTRY_RULES, header, None):
        pass
    entry = AnswerEntry(ByteRange(path, start, buffer.byte_offset()), header)
    result: dict[str, Any] = {"value": entry}
    for key in ("paramName", "dataType"):
        if key in header.values:
            result[key] = header.values[key]
    return result
