"""Reading a CSDL JSON document into plain Python values, safely: bounded size, nesting and value count.

Python's json module builds the whole tree and recurses once per nesting level, so the limits are checked
first on a skeleton of the text (strings blanked out), with string operations that run in C and in linear
time: a hostile document is refused before it can cost recursion or gigabytes of small objects.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import MetadataError
from .identifiers import shown
from .limits import MAX_DOCUMENT_BYTES, MAX_ELEMENT_DEPTH, MAX_ELEMENTS
from .warning_log import WarningLog
from .xml import read_bounded

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"
_SNIFF_CHUNK = 64 * 1024
# A string always matches from its opening quote, running to the end of the text when it is not closed,
# so the substitution never retries inside a string: linear time whatever the text.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_NO_WHITESPACE = str.maketrans("", "", " \t\r\n")
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_MAX_NUMBER_DIGITS = 20  # Int64 needs 19; int() would also take 4,000-digit numbers, slowly


def looks_like_json(path: Path) -> bool:
    """True when the first byte after an optional UTF-8 BOM and whitespace is `{`: CSDL JSON, not XML."""
    try:
        with path.open("rb") as file:
            head = file.read(_SNIFF_CHUNK)
            if head.startswith(_BOM):
                head = head[len(_BOM) :]
            read = len(head)
            while head and not head.lstrip(_WHITESPACE) and read <= MAX_DOCUMENT_BYTES:
                head = file.read(_SNIFF_CHUNK)
                read += len(head)
    except OSError:
        return False  # the XML reader reports the file as unreadable
    return head.lstrip(_WHITESPACE).startswith(b"{")


def load_json(path: Path, log: WarningLog | None = None) -> dict[str, Any]:
    """The document's top-level object, or MetadataError naming the file (and the line where JSON knows it).
    A UTF-8 BOM is read past, with a warning in `log` (RFC 8259 forbids writing one)."""
    data = read_bounded(path)
    if log is not None and data.startswith(_BOM):
        log.add("document starts with a UTF-8 byte order mark (BOM)", str(path), 1)
    text = _decode(data, path)
    del data
    _check_shape(text, path)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_int=_bounded_int,
            # Kept as text, as the XML reader keeps Decimal and Float constants: no float rounding.
            parse_float=str,
            parse_constant=_refused_constant,
        )
    except json.JSONDecodeError as exc:
        raise MetadataError(
            f"malformed JSON: {exc.msg} (column {exc.colno})", path=str(path), line=exc.lineno
        ) from None
    except _Refused as exc:
        raise MetadataError(str(exc), path=str(path)) from None
    except RecursionError:  # the skeleton check makes this unreachable; a backstop, not a traceback
        raise MetadataError(_too_deep(), path=str(path)) from None
    if not isinstance(value, dict):
        raise MetadataError(f"a CSDL JSON document is an object, not {kind_of(value)}", path=str(path))
    _check_encodable(value, text, path)
    return value


def kind_of(value: Any) -> str:
    """The JSON kind of a parsed value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    return "an array" if isinstance(value, list) else "a string"  # json_load keeps numbers with a point as text


class _Refused(ValueError):
    """Raised from inside json.loads by the hooks below; reported without a line (json does not pass one)."""


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")  # JSON is UTF-8 (RFC 8259); the BOM is tolerated, as in XML
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MetadataError(f"JSON is not valid UTF-8 (byte {exc.start})", path=str(path), line=line) from None


def _check_shape(text: str, path: Path) -> None:
    """Refuse more than MAX_ELEMENTS values or nesting deeper than MAX_ELEMENT_DEPTH, before parsing."""
    skeleton = _STRING.sub('""', text)
    compact = skeleton.translate(_NO_WHITESPACE)
    containers = compact.count("{") + compact.count("[")
    # Every value but the top-level object is a member or an array item: the last one of each non-empty
    # object or array, or one followed by a comma. Every container but the top one is such a value, so the
    # loop below runs at most 2 * MAX_ELEMENTS times.
    values = compact.count(",") + containers - compact.count("{}") - compact.count("[]")
    if values > MAX_ELEMENTS:
        raise MetadataError(
            f"document has more than the limit of {MAX_ELEMENTS} JSON values (MAX_ELEMENTS)", path=str(path)
        )
    depth = 0
    for bracket in _BRACKET.finditer(skeleton):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_ELEMENT_DEPTH:
            line = skeleton.count("\n", 0, bracket.start()) + 1  # JSON strings hold no raw newline
            raise MetadataError(_too_deep(), path=str(path), line=line)


def _too_deep() -> str:
    return f"JSON is nested deeper than the limit of {MAX_ELEMENT_DEPTH} levels (MAX_ELEMENT_DEPTH)"


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys silently; in CSDL a repeated name is a second declaration.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"JSON object has the member {shown(key)} twice")
            seen.add(key)
    return result


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_NUMBER_DIGITS:
        raise _Refused(f"JSON number {shown(text)} has more than {_MAX_NUMBER_DIGITS} digits")
    return int(text)


def _refused_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value")


def _check_encodable(value: dict[str, Any], text: str, path: Path) -> None:
    """Refuse lone UTF-16 surrogates (`"\\ud800"`): valid JSON escapes, but no file could hold them as UTF-8."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        found = _LONE_SURROGATE.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise MetadataError(
            "JSON holds a lone UTF-16 surrogate escape, which is not a character", path=str(path), line=line
        ) from None
