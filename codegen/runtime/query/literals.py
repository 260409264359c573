"""OData URL literals for every Edm primitive type, and the percent-encoding of query option values.

`format_literal(value)` returns a value as it is written inside a URL query option such as `$filter`, before
percent-encoding: `'O''Brien'`, `2016-08-29T15:31:01-05:00`, `duration'P1DT2H'`. `percent_encode(text)` then
encodes a whole query option value for the URL; `encode_expression(text)` encodes `$filter`/`$orderby` text,
keeping the `/` between path segments (see options.py). The forms follow the OASIS "OData ABNF Construction Rules
4.01" (section 7, Literal Data Values); tests/test_query_literals.py checks every form against that grammar.

Forms chosen where the ABNF allows several:

- Double/Single: the shortest digits that read back as the same value, the exponent without `+` or leading
  zeros (`1e16`, `1e-7`), `INF`, `-INF`, `NaN`. A `+` would need `%2B` in a URL; `1e16` needs nothing.
- Decimal: exact digits in fixed notation (`Decimal('1E+2')` -> `100`), so servers that predate the 4.01
  exponent form read it too; exponent form (`1.5e200`) only when fixed notation would need more than
  `_MAX_FIXED_ZEROS` padding zeros. Never through float. NaN and infinities are refused (Edm.Decimal has none).
- Duration: always with the `duration` prefix. 4.01 made it optional, 4.0 requires it and so do common servers.
- Binary: base64url without `=` padding. The ABNF makes padding optional, and its `=` must be literal, so a
  padded value would stop matching `binaryValue` once `percent_encode` writes the `=` as `%3D`.
- DateTimeOffset: `Z` for a zero offset, otherwise `+hh:mm`/`-hh:mm`; seconds always written, the fraction
  only when non-zero and without trailing zeros.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import math
import re
import struct
import uuid
from decimal import Decimal
from typing import Final
from urllib.parse import quote

from .. import edm

# The converter already knows how a Python enum member becomes its OData wire value ("Red", "Read,Write", "0");
# a URL enum literal uses the same member names (enumValue / singleEnumLiteral), so reuse it.
from ..enums import enum_wire_value
from ..identifiers import is_identifier, is_qualified_name

__all__ = ["EDM_TYPES", "QUERY_SAFE", "encode_expression", "format_literal", "percent_encode"]

# Edm primitive types that have a URL literal here. Geography/Geometry, Stream and Untyped are refused.
EDM_TYPES: Final = frozenset(
    {
        "Edm.Binary",
        "Edm.Boolean",
        "Edm.Byte",
        "Edm.Date",
        "Edm.DateTimeOffset",
        "Edm.Decimal",
        "Edm.Double",
        "Edm.Duration",
        "Edm.Guid",
        "Edm.Int16",
        "Edm.Int32",
        "Edm.Int64",
        "Edm.SByte",
        "Edm.Single",
        "Edm.String",
        "Edm.TimeOfDay",
    }
)

_INT_RANGES: Final = {
    "Edm.Byte": (0, 255),
    "Edm.SByte": (-128, 127),
    "Edm.Int16": (-(2**15), 2**15 - 1),
    "Edm.Int32": (-(2**31), 2**31 - 1),
    "Edm.Int64": (-(2**63), 2**63 - 1),
}

# Fixed notation for a Decimal unless it needs more padding zeros than this (Decimal('1E+100000') would be a
# 100 kB literal). Every real Edm.Decimal (Precision <= 38 or so) stays far below it.
_MAX_FIXED_ZEROS: Final = 64

_INT64_TEXT: Final = re.compile(r"[+-]?[0-9]{1,19}")

# Characters percent_encode leaves as they are, besides the RFC 3986 unreserved ones (ALPHA DIGIT - . _ ~),
# which urllib.parse.quote never encodes. Each is allowed literally in a query option value (RFC 3986 pchar)
# and is OData syntax that servers expect unencoded:
#   '     SQUOTE, delimits string, enum, duration and binary literals
#   ( ) , OPEN, CLOSE, COMMA: function calls, `in` lists, $expand options, flag enum values
#   :     COLON in times and offsets; also `geo.distance`-style parameter lists
#   $     $it, $root, $this and nested system query options ($select inside $expand)
#   @     parameter aliases (@p1) and annotations
#   *     $select=*, wildcards
#   !     sub-delim with no meaning in a query, kept for readability
# Encoded although RFC 3986 would allow some of them in a query, because a server reads them differently:
#   space (as %20, never "+"), "+" (form decoding turns it into a space; the ABNF's SIGN accepts %2B),
#   "&" and "=" (query option separators), ";" (some servers split on it), "/" and "?" (not in the ABNF's
#   pchar-no-SQUOTE, so a string literal needs them encoded), "#" (starts the fragment), "%" (starts an
#   escape), and everything else: other ASCII punctuation, control characters and non-ASCII (as UTF-8 bytes).
QUERY_SAFE: Final = "'(),:$@*!"

# What `quote(text, safe=QUERY_SAFE)` writes for each ASCII character. `str.translate` with it gives the same
# text several times faster than `quote`, which encodes to bytes and back; non-ASCII text still goes to `quote`.
_ASCII_ENCODED: Final = {code: quote(chr(code), safe=QUERY_SAFE) for code in range(128)}

# A string, enum, duration or binary literal: from a quote to the next quote not doubled (or the end).
_QUOTED: Final = re.compile(r"'(?:[^']|'')*'?")


def percent_encode(text: str) -> str:
    """Percent-encode a query option value (such as a whole `$filter` expression) for a URL.

    Spaces become `%20` (never `+`); non-ASCII characters become their UTF-8 bytes. Unreserved characters and
    `QUERY_SAFE` stay as they are. `urllib.parse.unquote` gives `text` back.
    """
    if isinstance(text, str) and text.isascii():
        return text.translate(_ASCII_ENCODED)
    try:
        return quote(text, safe=QUERY_SAFE, encoding="utf-8", errors="strict")
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise ValueError(
            f"cannot percent-encode {bad!r} at index {exc.start}: a lone surrogate has no UTF-8 form"
        ) from None


def encode_expression(text: str) -> str:
    """Percent-encode `$filter`/`$orderby` text: literals fully (`percent_encode`), `/` between names kept.

    OData names cannot contain a quote, so splitting at quotes finds exactly the literals, also in `raw()`
    filter text. Only `/` is written differently inside and outside a literal, so text without one is
    encoded in one go.
    """
    if "/" not in text:
        return percent_encode(text)
    pieces: list[str] = []
    end = 0
    for match in _QUOTED.finditer(text):
        pieces.append(_encode_unquoted(text[end : match.start()]))
        pieces.append(percent_encode(match.group()))
        end = match.end()
    pieces.append(_encode_unquoted(text[end:]))
    return "".join(pieces)


def _encode_unquoted(text: str) -> str:
    return "/".join(percent_encode(part) for part in text.split("/"))


def format_literal(value: object, edm_type: str | None = None) -> str:
    """Format `value` as an OData URL literal, before percent-encoding.

    The Edm type follows from the Python type (`str` -> Edm.String, `float` -> Edm.Double, `datetime` ->
    Edm.DateTimeOffset, ...), or from `edm_type` where the Python type is ambiguous: an `int` compared with
    an Edm.Double property (`format_literal(5, "Edm.Double")` -> `5.0`), a `str` holding an Edm.Guid, a
    `float` for Edm.Single or Edm.Decimal. An `edm_type` that is not `Edm.*` names an enumeration type
    (`Namespace.Type`); the value is then an enum member, member name(s) as a `str`, or an `int`.

    Raises TypeError when the value's Python type has no literal (or does not fit `edm_type`), and
    ValueError when the value does not fit (a naive datetime, an Int32 out of range, NaN as a Decimal, ...).
    """
    if edm_type is not None and edm_type not in EDM_TYPES:
        if edm_type.startswith("Edm."):
            raise ValueError(f"{edm_type} has no URL literal here (unknown or unsupported Edm type)")
        if not is_qualified_name(edm_type):
            raise ValueError(f"edm_type {edm_type!r} is neither an Edm primitive type nor a qualified enum type name")
    if value is None:
        return "null"
    if isinstance(value, enum.Enum):
        return _enum_member(value, edm_type)
    if edm_type is None:
        return _by_python_type(value)
    if edm_type not in EDM_TYPES:
        return _enum_by_name(value, edm_type)
    return _by_edm_type(value, edm_type)


def _by_python_type(value: object) -> str:
    # bool before int (bool is an int), datetime before date (datetime is a date).
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))  # any size: a long one is still a valid decimalLiteral
    if isinstance(value, float):
        return _double(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return edm.write_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return edm.write_time(value)
    if isinstance(value, dt.timedelta):
        return _duration(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _binary(bytes(value))
    raise TypeError(f"{_type_name(value)} has no OData literal")


def _by_edm_type(value: object, edm_type: str) -> str:
    if edm_type == "Edm.String" and isinstance(value, str):
        return _string(value)
    if edm_type == "Edm.Boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bool):
        raise TypeError(f"bool {value!r} cannot be sent as {edm_type}")
    if edm_type in _INT_RANGES and isinstance(value, int):
        low, high = _INT_RANGES[edm_type]
        if not low <= value <= high:
            raise ValueError(f"{value} is out of range for {edm_type} ({low} to {high})")
        return str(int(value))
    if edm_type == "Edm.Decimal" and isinstance(value, (Decimal, int, float)):
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"float {value!r} cannot be sent as Edm.Decimal: it has no NaN or infinity")
            value = Decimal(repr(value))  # the shortest digits that read back as this float
        return _decimal(Decimal(value))
    if edm_type in ("Edm.Double", "Edm.Single") and isinstance(value, (float, int, Decimal)):
        return _floating(value, edm_type)
    if edm_type == "Edm.Guid" and isinstance(value, (uuid.UUID, str)):
        return str(value) if isinstance(value, uuid.UUID) else _guid_text(value)
    if edm_type == "Edm.DateTimeOffset" and isinstance(value, dt.datetime):
        return edm.write_datetime(value)
    if edm_type == "Edm.Date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if edm_type == "Edm.TimeOfDay" and isinstance(value, dt.time):
        return edm.write_time(value)
    if edm_type == "Edm.Duration" and isinstance(value, dt.timedelta):
        return _duration(value)
    if edm_type == "Edm.Binary" and isinstance(value, (bytes, bytearray, memoryview)):
        return _binary(bytes(value))
    hint = " (pass value.date())" if edm_type == "Edm.Date" and isinstance(value, dt.datetime) else ""
    raise TypeError(f"{_type_name(value)} cannot be sent as {edm_type}{hint}")


def _type_name(value: object) -> str:
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


# --- strings ---------------------------------------------------------------------------------------------


def _string(value: str) -> str:
    # stringLiteral = SQUOTE *( SQUOTE-in-string / pchar-no-SQUOTE ) SQUOTE; a quote inside is doubled. All
    # other characters are left for percent_encode.
    return "'" + value.replace("'", "''") + "'"


def _guid_text(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a GUID (Edm.Guid)") from None


# --- numbers ---------------------------------------------------------------------------------------------


def _double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return _normalise_exponent(repr(value))  # repr: the shortest digits that round-trip


def _normalise_exponent(text: str) -> str:
    """`1e+16` -> `1e16`, `1e-07` -> `1e-7`; `5` -> `5.0` so the literal reads as a floating-point number."""
    mantissa, e, exponent = text.partition("e")
    if not e:
        return text if "." in text else text + ".0"
    return f"{mantissa}e{int(exponent)}"


def _floating(value: float | int | Decimal, edm_type: str) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} cannot be sent as {edm_type}; pass float('inf') or float('nan') instead")
        return _decimal(value)  # exact digits; the server rounds them to binary
    if isinstance(value, int):
        try:
            as_float = float(value)
        except OverflowError:
            as_float = math.inf
        if as_float != value or (edm_type == "Edm.Single" and _to_single(as_float) != value):
            raise ValueError(f"{value} is not exactly representable as {edm_type}; pass a float to round it")
        value = as_float
    if edm_type == "Edm.Single":
        return _single(value)
    return _double(value)


def _single(value: float) -> str:
    if not math.isfinite(value):
        return _double(value)
    if _to_single(value) != value:
        # Not a binary32 value: send the exact double digits and let the server round.
        return _double(value)
    for digits in range(1, 10):  # 9 significant digits always round-trip a binary32 value
        text = f"{value:.{digits}g}"
        try:
            if _to_single(float(text)) == value:
                return _normalise_exponent(text)
        except ValueError:  # rounded past the largest binary32 value (3.4028235e38 -> 3.403e38)
            continue
    raise AssertionError("unreachable: 9 digits round-trip every binary32 value")  # pragma: no cover


def _to_single(value: float) -> float:
    """`value` rounded to IEEE 754 binary32 (Edm.Single)."""
    try:
        return float(struct.unpack("<f", struct.pack("<f", value))[0])
    except OverflowError:
        raise ValueError(f"{value!r} is out of range for Edm.Single") from None


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(
            f"{value!r} cannot be sent as Edm.Decimal: it has no NaN or infinity; use a float with Edm.Double"
        )
    # The adjusted exponent (of the first digit) bounds the padding zeros fixed notation needs, so the common
    # case is decided without as_tuple(), which builds a tuple of every digit.
    if -_MAX_FIXED_ZEROS - 1 <= value.adjusted() <= _MAX_FIXED_ZEROS:
        return format(value, "f")  # exact: Decimal('1E+2') -> '100', Decimal('-0') -> '-0'
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    padding = exponent if exponent > 0 else max(0, -exponent - len(digits))
    if padding <= _MAX_FIXED_ZEROS:
        return format(value, "f")
    text = "".join(map(str, digits))
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}e{exponent + len(text) - 1}"


# --- dates and times -------------------------------------------------------------------------------------


def _duration(value: dt.timedelta) -> str:
    return f"duration'{edm.write_duration(value)}'"


# --- binary ----------------------------------------------------------------------------------------------


def _binary(value: bytes) -> str:
    return "binary'" + base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii") + "'"


# --- enumerations ----------------------------------------------------------------------------------------


def _enum_member(member: enum.Enum, edm_type: str | None) -> str:
    cls = type(member)
    if edm_type in EDM_TYPES:
        raise TypeError(f"enum member {cls.__qualname__}.{member.name} cannot be sent as {edm_type}")
    declared: str | None = getattr(cls, "__odata_type__", None)
    if edm_type is not None and declared is not None and declared != edm_type:
        raise ValueError(f"{cls.__qualname__} is the OData type {declared}, not {edm_type}")
    type_name = edm_type or declared
    if type_name is None:
        raise TypeError(f"enum {cls.__qualname__} has no __odata_type__; pass its qualified OData name as edm_type")
    if not is_qualified_name(type_name):
        raise ValueError(f"{type_name!r} is not a namespace-qualified enumeration type name")
    if getattr(cls, "__odata_wire__", None) is None:
        if isinstance(member, enum.Flag):
            raise TypeError(f"flag enum {cls.__qualname__} needs __odata_wire__ (member name -> wire name)")
        if not isinstance(member.value, str):
            raise TypeError(
                f"enum {cls.__qualname__} has a {type(member.value).__name__} value; an OData enum member needs"
                " its wire name as a str value (or __odata_wire__ for a flag enum)"
            )
    return _enum_literal(type_name, enum_wire_value(member))


def _enum_by_name(value: object, type_name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"{_type_name(value)} cannot be sent as the enumeration type {type_name}")
    return _enum_literal(type_name, str(value))


def _enum_literal(type_name: str, wire: str) -> str:
    # enumLiteral = [ qualifiedEnumTypeName ] SQUOTE singleEnumLiteral *( COMMA singleEnumLiteral ) SQUOTE
    parts = wire.split(",")
    for part in parts:
        if not (is_identifier(part) or _INT64_TEXT.fullmatch(part)):
            raise ValueError(f"{part!r} is not an enumeration member name or number (in {type_name}'{wire}')")
    return f"{type_name}'{wire}'"
