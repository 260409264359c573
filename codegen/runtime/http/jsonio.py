"""OData JSON text <-> Python values, keeping `Edm.Decimal` exact in both directions.

`loads` reads every number with a fraction or an exponent as a `Decimal` (integers stay `int`), so
`34.448123` is `Decimal("34.448123")`, never the float `34.448122999999997`. The converter turns a value
into `float` only where the schema says `Edm.Double`.

`dumps` is a small JSON writer of our own, because the standard library's cannot write a `Decimal` as a
number: its encoder only knows `float`, and subclassing `float` does not help since the C encoder calls
`float.__repr__` directly. It writes what `unstructure()` produces: dicts with `str` keys, lists and
tuples, `str`, `int`, `bool`, `None`, finite `float` and finite `Decimal`. Anything else is a `TypeError`;
NaN and infinities (float or Decimal) are a `ValueError`, as JSON has no such numbers (OData writes
`Edm.Double` specials as the strings `"NaN"`, `"INF"`, `"-INF"`, which the converter already does).

Decimals are written in positional notation (`Decimal("1E+2")` -> `100`, `Decimal("1.50")` -> `1.50`): the
same value, exactly, and the form servers read as a decimal. Microsoft.OData.Core (ASP.NET OData, which
Aimbase runs) reads a JSON number with `int.TryParse`, then `decimal.TryParse` with `NumberStyles.Number`
(which does not allow an exponent) and only then `double.TryParse`, so `1.23456789012345678E+5` would
reach it as a double and lose digits. Only values whose positional form would be absurdly long (an exponent
beyond +-100) are written in exponent notation, which is still valid JSON.

Output is UTF-8 (RFC 8259 8.1) with non-ASCII characters written as themselves; a string holding a lone
surrogate cannot be UTF-8 and is a `ValueError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, Final

import msgspec

from ..checked import CheckedDict, is_vetted

__all__ = ["dumps", "loads"]

# Exponents within this range are written out positionally; beyond it `str()` (scientific) is used.
_POSITIONAL_LIMIT: Final = 100
# How deeply arrays and objects may nest in what a server sends. OData payloads nest a few levels per
# $expand; 100 is far beyond any real one, and far below what the recursive parser and converter survive.
MAX_DEPTH: Final = 100
# The depth scan, in C-speed steps: drop escape pairs (`\\"` is no quote), keep only quotes and brackets, drop
# what is left of strings; what remains are the structural brackets. A 4 MB page costs about 13 ms (2 cores, loaded).
_ESCAPE: Final = re.compile(rb"\\.", re.DOTALL)
_STRING: Final = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE: Final = bytes(set(range(256)) - set(b'[]{}"'))


# msgspec parses about twice as fast as the standard library with parse_float=Decimal, and refuses what is
# not JSON (NaN, lone surrogates, unbounded integers) by itself.
_DECODER: Final = msgspec.json.Decoder(float_hook=Decimal)
_ENCODER: Final = msgspec.json.Encoder(decimal_format="number")


class JSONDepthError(ValueError):
    """The JSON text nests arrays and objects deeper than `MAX_DEPTH`."""


def loads(text: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text (or UTF-8/16/32 bytes); non-integer numbers become `Decimal`.

    Not JSON (including the non-standard `NaN`/`Infinity` tokens, lone surrogates and integers too long to
    convert in bounded time) is a `ValueError` saying "not JSON"; text nested deeper
    than `max_depth` is a `JSONDepthError`, found by a scan before parsing, so a hostile `[[[[...` never
    reaches the recursive parser.
    """
    if not isinstance(text, str):
        data = bytes(text)
        encoding = json.detect_encoding(data)
        if encoding == "utf-8":
            _check_depth_bytes(data, max_depth)  # UTF-8 brackets are single bytes; the parser checks the encoding
            return _decode(data)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise ValueError(f"the JSON text is not valid {error.encoding}") from None
    _check_depth(text, max_depth)
    return _decode(text)


def _decode(text: str | bytes) -> Any:
    try:
        return _DECODER.decode(text)
    except RecursionError:  # only if max_depth was set beyond what the parser survives
        raise JSONDepthError("the JSON text is nested too deeply to parse") from None
    except UnicodeEncodeError:  # a str holding a lone surrogate
        raise ValueError("not JSON: the text holds a lone surrogate, which is not Unicode") from None
    except msgspec.DecodeError as error:  # NaN and Infinity are not JSON: OData sends them as strings ("NaN")
        raise ValueError(f"not JSON: {error}") from None


def _check_depth(text: str, max_depth: int) -> None:
    # Counting brackets is cheap; only text that has enough of them to be too deep is scanned properly.
    if text.count("[") + text.count("{") > max_depth:
        _check_depth_bytes(text.encode("utf-8", "surrogatepass"), max_depth)


def _check_depth_bytes(text: bytes, max_depth: int) -> None:
    # The one pass over the whole text is `translate`; the bracket count that lets most short texts go is taken
    # on what it keeps (an eighth of a page), as any page of objects has more brackets than `max_depth`.
    structure = text.translate(None, _NOT_STRUCTURE)
    if structure.count(b"[") + structure.count(b"{") <= max_depth:
        return
    if b"\\" in text:  # an escaped quote is no quote: drop the escape pairs, then keep the structure again
        structure = _ESCAPE.sub(b"", text).translate(None, _NOT_STRUCTURE)
    # Without escapes, every string is a quote pair: dropping adjacent pairs drops empty strings and joins
    # neighbours, both harmless; only strings holding brackets are left for the (slower) pattern.
    structure = structure.replace(b'""', b"")
    brackets = (_STRING.sub(b"", structure) if b'"' in structure else structure).decode("ascii")
    _deepest(brackets, "[{", max_depth)


def _deepest(brackets: str, openers: str, max_depth: int) -> None:
    depth = 0
    for bracket in brackets:
        if bracket in openers:
            depth += 1
            if depth > max_depth:
                raise JSONDepthError(f"the JSON text nests arrays and objects more than {max_depth} deep")
        else:
            depth -= 1


def dumps(value: Any) -> bytes:
    """`value` as compact UTF-8 JSON; `Decimal` values as exact JSON numbers."""
    if _encodable(value):
        try:
            return _ENCODER.encode(value)
        except UnicodeEncodeError:
            pass  # a lone surrogate: the writer below says so
    pieces: list[str] = []
    _write(value, pieces, set())
    try:
        return "".join(pieces).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"a string cannot be written as UTF-8 JSON: {error.reason}") from None


# Values msgspec writes exactly as `_write` does. Anything else (a subclass, a tuple, a float msgspec would
# write in another exponent form, a Decimal str() gives in exponent form, NaN, a cycle) takes `_write`.
_SCALARS: Final = frozenset({str, int, bool, type(None)})
_KEY_TYPES: Final = frozenset({str})
_FLOAT_PLAIN: Final = (1e-4, 1e16)  # where repr() writes no exponent, and msgspec's digits are the same


def _encodable(value: Any) -> bool:
    try:
        return _encodable_value(value)
    except RecursionError:  # a cycle, or nesting the writer refuses anyway
        return False


def _encodable_value(value: Any) -> bool:
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is CheckedDict:
        if is_vetted(value):  # its keys and other values are known good: only those it names are left
            return all(map(_encodable_value, value.unchecked))
        kind = dict
    if kind is dict:
        # The type tests run in C (`map`): only a dict holding more than scalars is walked item by item.
        values = value.values()
        if not all(map(_SCALARS.__contains__, map(type, values))):
            for item in values:
                if type(item) not in _SCALARS and not _encodable_value(item):
                    return False
        return all(map(_KEY_TYPES.__contains__, map(type, value)))
    if kind is list:
        if not all(map(_SCALARS.__contains__, map(type, value))):
            for item in value:
                if type(item) not in _SCALARS and not _encodable_value(item):
                    return False
        return True
    if kind is float:
        low, high = _FLOAT_PLAIN
        return bool(low <= abs(value) < high or value == 0)
    if kind is Decimal:
        return value.is_finite() and "E" not in str(value)
    return False


def decimal_text(value: Decimal) -> str:
    """A finite `Decimal` as JSON number text: positional unless its exponent is extreme."""
    if not value.is_finite():
        raise ValueError(f"JSON has no number for Decimal {value!r}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite values have an int exponent
    if -_POSITIONAL_LIMIT <= exponent and value.adjusted() <= _POSITIONAL_LIMIT:
        return format(value, "f")
    return str(value)  # "1E+200": valid JSON, and the same value


def _write(value: Any, out: list[str], active: set[int]) -> None:
    # Order matters: bool before int (bool is an int), str before the container checks.
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))  # not a subclass's repr (IntEnum, IntFlag)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"JSON has no number for float {value!r}")
        out.append(float.__repr__(value))
    elif isinstance(value, Decimal):
        out.append(decimal_text(value))
    elif isinstance(value, Mapping):
        _enter(value, active)
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be str, not {type(key).__name__} {key!r}")
            if index:
                out.append(",")
            out.append(encode_basestring(key))
            out.append(":")
            _write(item, out, active)
        out.append("}")
        active.discard(id(value))
    elif isinstance(value, (list, tuple)):
        _enter(value, active)
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out, active)
        out.append("]")
        active.discard(id(value))
    else:
        raise TypeError(f"cannot write {type(value).__name__} {value!r} as JSON")


def _enter(container: object, active: set[int]) -> None:
    if id(container) in active:
        raise ValueError("circular reference: a container holds itself")
    active.add(id(container))
