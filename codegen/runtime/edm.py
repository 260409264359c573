"""Edm primitive values in OData JSON (OData JSON Format 4.01, section 7.1) <-> Python values.

Every reader is strict about the JSON type it accepts, so a schema mismatch is
reported instead of silently coerced; every writer produces the shortest
standard form so that values read from a server are written back unchanged.

Exactness: Python's datetime, time and timedelta stop at microseconds and its
int and Decimal do not say how they were sent. Where the wire text carries more
than the plain value (the 7-digit fractions .NET writes, `-PT0.0000001S`,
`.4700000`, an Int64 or Decimal sent as a JSON string under IEEE754Compatible),
the reader returns a subclass (`WireDateTime`, `WireTime`, `WireDuration`,
`WireInt`, `WireDecimal`) that is an ordinary datetime/time/timedelta/int/Decimal
for comparison, hashing, arithmetic and type checkers, and remembers its wire
text: writing it gives that text back. Any derived value (arithmetic, `replace`,
`astimezone`, one the user builds) is a plain value and is written normally.
Equality stays that of the base type: two values that differ only below a
microsecond compare equal. Enum members are singletons and cannot remember a
form: the object holding them does (see `enums`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import msgspec

_SPECIAL_FLOATS = {"INF": math.inf, "-INF": -math.inf, "NaN": math.nan}
# durationValue (OData ABNF); [0-9], not \d, which also matches non-ASCII digits. Lengths are capped so that a
# hostile value cannot make int() parse thousands of digits; 12 digits of days is far beyond timedelta already.
_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>[0-9]{1,12})D)?(?:T(?:(?P<hours>[0-9]{1,15})H)?(?:(?P<minutes>[0-9]{1,15})M)?"
    r"(?:(?P<seconds>[0-9]{1,18})(?:\.(?P<fraction>[0-9]{1,12}))?S)?)?"
)
# timeOfDayValue and dateTimeOffsetValue (OData ABNF, fractionalSeconds = 1*12DIGIT). A text that matches keeps its
# own form when written back; other ISO 8601 forms Python reads are accepted and written in the standard form.
_CLOCK = (
    r"(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])(?::(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]{1,12}))?)?"
)
_TIME: Final = re.compile(_CLOCK)
_DATETIME: Final = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T" + _CLOCK + r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})"
)
# The form write_datetime gives (seconds, a fraction of up to 6 digits without trailing zeros, Z for a zero
# offset): a text in it is written back unchanged, with no wire text to keep.
_STANDARD_DATETIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{0,5}[1-9])?(?:Z|[+-](?!00:00)[0-9]{2}:[0-9]{2})"
)
_INT64_TEXT: Final = re.compile(r"[+-]?[0-9]{1,19}")  # int64Value; ASCII digits only, as the ABNF says
_DECIMAL_TEXT: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|-?INF")  # decimalValue
_SPECIAL_DECIMALS: Final = {"INF": "Infinity", "-INF": "-Infinity", "NaN": "NaN"}

# Edm integer types and their ranges; an int field whose Edm type is not known is read as Edm.Int64.
INT_RANGES: Final = {
    "Edm.Byte": (0, 255),
    "Edm.SByte": (-(2**7), 2**7 - 1),
    "Edm.Int16": (-(2**15), 2**15 - 1),
    "Edm.Int32": (-(2**31), 2**31 - 1),
    "Edm.Int64": (-(2**63), 2**63 - 1),
}
_SINGLE_MAX: Final = 3.4028235677973366e38  # the largest binary32 value plus half an ulp: beyond it rounds to inf


class WireInt(int):
    """An int that arrived as a JSON string (Int64 under IEEE754Compatible=true); written back as a string."""

    __slots__ = ()

    def __repr__(self) -> str:
        return int.__repr__(self)


class WireDecimal(Decimal):
    """A Decimal that arrived as a JSON string (IEEE754Compatible=true); written back as that string."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Decimal('{self}')"


class WireDateTime(dt.datetime):
    """A datetime read from Edm.DateTimeOffset text that the standard form would not reproduce (7 or 12
    fraction digits, trailing zeros, `+00:00`, no seconds); `wire_text` is that text."""

    __slots__ = ("wire_text",)
    wire_text: str

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        # datetime's own pickling (also behind copy.deepcopy) calls the constructor and would drop wire_text.
        return (_restore, (WireDateTime, dt.datetime.__reduce__(self), self.wire_text))

    def __repr__(self) -> str:
        return f"{dt.datetime.__repr__(self)[:-1]}, wire_text={self.wire_text!r})"


class WireTime(dt.time):
    """A time read from Edm.TimeOfDay text that the standard form would not reproduce; `wire_text` is that text."""

    __slots__ = ("wire_text",)
    wire_text: str

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (_restore, (WireTime, dt.time.__reduce__(self), self.wire_text))

    def __repr__(self) -> str:
        return f"{dt.time.__repr__(self)[:-1]}, wire_text={self.wire_text!r})"


class WireDuration(dt.timedelta):
    """A timedelta read from Edm.Duration text that the standard form would not reproduce (digits below a
    microsecond, `PT36H`, `P0D`); `wire_text` is that text. The timedelta is the value cut to microseconds
    towards zero, so `-PT0.0000001S` is timedelta(0) and still writes `-PT0.0000001S`."""

    __slots__ = ("wire_text",)
    wire_text: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (WireDuration, (self.days, self.seconds, self.microseconds), self.wire_text))

    def __repr__(self) -> str:
        return f"{dt.timedelta.__repr__(self)[:-1]}, wire_text={self.wire_text!r})"


_Wire = WireDateTime | WireTime | WireDuration


def _restore(cls: type[_Wire], state: Any, wire_text: str) -> _Wire:
    if isinstance(state, tuple) and len(state) == 2 and isinstance(state[1], tuple):  # (callable, args)
        state = state[1]
    result = cls(*state)
    result.wire_text = wire_text
    return result


def _with_wire_text(cls: type[_Wire], value: Any, wire_text: str) -> Any:
    if isinstance(value, dt.datetime):
        result: _Wire = WireDateTime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            value.tzinfo,
            fold=value.fold,
        )
    elif isinstance(value, dt.time):
        result = WireTime(value.hour, value.minute, value.second, value.microsecond, value.tzinfo)
    else:
        result = WireDuration(value.days, value.seconds, value.microseconds)
    assert type(result) is cls
    result.wire_text = wire_text
    return result


def _wire_text(value: object) -> str | None:
    text: str | None = getattr(value, "wire_text", None)
    return text


def _expect(value: Any, kinds: type | tuple[type, ...], what: str) -> None:
    # bool is an int subclass; JSON true must never pass for a number.
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
        raise ValueError(f"expected {what}, got {type(value).__name__} {value!r}")


def read_str(value: Any) -> str:
    _expect(value, str, "a string")
    return value  # type: ignore[no-any-return]


def read_bool(value: Any) -> bool:
    _expect(value, bool, "a boolean")
    return value  # type: ignore[no-any-return]


def read_int(value: Any, edm_type: str = "Edm.Int64") -> int:
    """A JSON integer, or an int64Value string (IEEE754Compatible), in the range of `edm_type`."""
    low, high = INT_RANGES[edm_type]
    if isinstance(value, str):
        # ASCII digits only (int64Value in the OData ABNF); `\d` would also let "١٢" through.
        if not _INT64_TEXT.fullmatch(value):
            raise ValueError(f"expected an integer, got str {value[:40]!r}")
        result = int(value)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        # Check the size before int(): Decimal("1E+999999") would become a million-digit int.
        if value.adjusted() > 19:
            raise ValueError(f"{value} is out of range for {edm_type} ({low} to {high})")
        result = int(value)
    else:
        _expect(value, int, "an integer")
        result = value
    if not low <= result <= high:
        raise ValueError(f"{result} is out of range for {edm_type} ({low} to {high})")
    return result


def read_float(value: Any, edm_type: str = "Edm.Double") -> float:
    """A JSON number, or `INF`/`-INF`/`NaN` as a string; a number too large for `edm_type` is refused
    (json.loads reads `1e400` as inf, which no JSON number means)."""
    if isinstance(value, str) and value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    _expect(value, (int, float, Decimal), "a number")
    try:
        result = float(value)
    except OverflowError:  # a huge int
        result = math.inf
    limit = _SINGLE_MAX if edm_type == "Edm.Single" else math.inf
    if not -limit < result < limit:
        # NaN fails the comparison too: a JSON number is never NaN (only the string "NaN" is).
        raise ValueError(
            f"{_short(value)} is out of range for {edm_type} (infinity and NaN are the strings 'INF', 'NaN')"
        )
    return result


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_wire_int(value: Any, edm_type: str = "Edm.Int64") -> int:
    """`read_int`, but an Edm.Int64 string gives a `WireInt`, so that the value is written back as a string."""
    result = read_int(value, edm_type)
    # Only Int64 is sent as a string under IEEE754Compatible=true; another integer type goes back as a number.
    return WireInt(result) if isinstance(value, str) and edm_type == "Edm.Int64" else result


def write_int(value: int) -> int | str:
    return str(int(value)) if type(value) is WireInt else value


def write_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return value


def read_decimal(value: Any) -> Decimal:
    """A JSON number or a decimalValue string (IEEE754Compatible), exact; a string gives a `WireDecimal`
    written back as the same string (trailing zeros kept)."""
    if isinstance(value, float):
        if not math.isfinite(value):  # json.loads reads 1e400 as inf: the digits sent are lost
            raise ValueError(f"{value!r} is not an Edm.Decimal number (send 'INF'/'NaN' as strings)")
        # repr gives the shortest string that round-trips, so no binary noise is added.
        return Decimal(repr(value))
    if isinstance(value, str):
        # Only the ABNF's forms: Decimal() would also take "1_000", " 1", "Infinity" and "sNaN".
        if not _DECIMAL_TEXT.fullmatch(value):
            raise ValueError(f"expected a decimal, got {value[:40]!r}")
        try:
            return WireDecimal(_SPECIAL_DECIMALS.get(value, value))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
            raise ValueError(f"expected a decimal, got {value[:40]!r}") from None
    _expect(value, (int, Decimal), "a decimal")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{value!r} is not an Edm.Decimal number (send 'INF'/'NaN' as strings)")
    return Decimal(value)


def write_decimal(value: Decimal) -> Decimal | str:
    if type(value) is WireDecimal:
        if value.is_nan():
            return "NaN"
        if value.is_infinite():
            return "-INF" if value < 0 else "INF"
        return str(value)
    return value  # kept exact; the JSON writer emits it as a number


def read_uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(read_str(value))


def read_datetime(value: Any) -> dt.datetime:
    # Python 3.11 reads any ISO 8601 form, "Z" and 7- to 12-digit fractions included (cut to microseconds).
    text = value if type(value) is str else read_str(value)
    result = dt.datetime.fromisoformat(text)
    if result.tzinfo is None:
        # Edm.DateTimeOffset always carries "Z" or an offset; a naive value could not be written back.
        raise ValueError(f"expected a date and time with a UTC offset or 'Z', got {value!r}")
    if _STANDARD_DATETIME.fullmatch(text):  # the common case, told by one simpler pattern
        return result
    match = _DATETIME.fullmatch(text)
    if match is not None and (not _is_standard_clock(match) or match["offset"] in _ZERO_OFFSETS):
        return _with_wire_text(WireDateTime, result, text)  # type: ignore[no-any-return]
    return result


_ZERO_OFFSETS: Final = ("+00:00", "-00:00")


def _is_standard_clock(match: re.Match[str]) -> bool:
    """Whether `_clock` writes this text's time back unchanged: seconds present, fraction of at most 6 digits
    without trailing zeros."""
    fraction = match["fraction"]
    return match["second"] is not None and (fraction is None or (len(fraction) <= 6 and fraction[-1] != "0"))


# msgspec renders a datetime as RFC 3339 ten times faster than `isoformat`: all six fraction digits when there
# is a fraction, "Z" for a zero offset. It drops an offset's seconds, so only whole-minute `timezone`s take it.
_RFC3339: Final = msgspec.json.Encoder().encode


def write_datetime(value: dt.datetime) -> str:
    if type(value) is dt.datetime:
        zone = value.tzinfo
        if zone is _UTC:
            text = _RFC3339(value)[1:-1].decode("ascii")
            return text[:26].rstrip("0") + "Z" if value.microsecond else text
        if type(zone) is dt.timezone:
            offset = zone.utcoffset(None)
            if not (offset.seconds % 60 or offset.microseconds):
                text = _RFC3339(value)[1:-1].decode("ascii")
                return text[:26].rstrip("0") + text[26:] if value.microsecond else text
    return _write_datetime_iso(value)


_UTC: Final = dt.timezone.utc


def _write_datetime_iso(value: dt.datetime) -> str:
    wire_text = _wire_text(value)
    if wire_text is not None:
        return wire_text
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(
            f"naive datetime {value.isoformat()} cannot be sent as Edm.DateTimeOffset: attach a tzinfo, "
            "e.g. value.replace(tzinfo=datetime.timezone.utc) or value.astimezone()"
        )
    if offset.seconds % 60 or offset.microseconds:
        _offset(offset)  # raises: an offset with seconds
    # isoformat() writes `YYYY-MM-DDThh:mm:ss[.ffffff]+hh:mm`: only the fraction's zeros and a zero offset differ.
    text = value.isoformat()
    clock_end = 26 if value.microsecond else 19
    clock = text[:clock_end].rstrip("0") if value.microsecond else text[:19]
    return clock + (text[clock_end:] if offset else "Z")


def _offset(offset: dt.timedelta) -> str:
    if not offset:
        return "Z"
    minutes, rest = divmod(offset, dt.timedelta(minutes=1))
    if rest:
        raise ValueError(f"UTC offset {offset} has seconds; an OData offset is whole minutes (+hh:mm)")
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _clock(value: dt.time | dt.datetime) -> str:
    """`hh:mm:ss` plus the fraction without trailing zeros, as servers write it."""
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text


def read_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(read_str(value))


def read_time(value: Any) -> dt.time:
    text = read_str(value)
    result = dt.time.fromisoformat(text)
    match = _TIME.fullmatch(text)
    if match is not None and not _is_standard_clock(match):
        return _with_wire_text(WireTime, result, text)  # type: ignore[no-any-return]
    return result


def write_time(value: dt.time) -> str:
    wire_text = _wire_text(value)
    if wire_text is not None:
        return wire_text
    if value.utcoffset() is not None:
        raise ValueError(f"time {value.isoformat()} has a UTC offset; Edm.TimeOfDay has none, drop the tzinfo")
    return _clock(value)


def read_duration(value: Any) -> dt.timedelta:
    """Edm.Duration text, exactly: integer arithmetic, never float. Digits below a microsecond (up to 12)
    or a non-standard form (`PT36H`) give a `WireDuration` that is written back as the same text."""
    text = read_str(value)
    match = _DURATION.fullmatch(text)  # fullmatch: `$` alone would allow a trailing newline
    if match is None or text in ("P", "-P") or text.endswith("T"):
        raise ValueError(f"expected an ISO 8601 duration such as 'P1DT2H', got {text[:40]!r}")
    parts = match.groupdict()
    fraction = parts["fraction"] or ""
    seconds = ((int(parts["days"] or 0) * 24 + int(parts["hours"] or 0)) * 60 + int(parts["minutes"] or 0)) * 60
    micro = (seconds + int(parts["seconds"] or 0)) * 1_000_000 + int(fraction[:6].ljust(6, "0"))
    try:
        delta = dt.timedelta(microseconds=-micro if parts["sign"] else micro)  # cut towards zero below 1 µs
    except OverflowError:
        raise ValueError(f"duration {text[:40]!r} is beyond the range of datetime.timedelta") from None
    if len(fraction) > 6 or write_duration(delta) != text:
        return _with_wire_text(WireDuration, delta, text)  # type: ignore[no-any-return]
    return delta


def write_duration(value: dt.timedelta) -> str:
    wire_text = _wire_text(value)
    if wire_text is not None:
        return wire_text
    # Shortest form, as servers write it ("PT1S", "P2D", "PT0S"), so a value read is written back unchanged.
    # Whole microseconds as one int: abs(timedelta.min) would overflow timedelta.
    total = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    sign = "-" if total < 0 else ""
    seconds, micro = divmod(abs(total), 1_000_000)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or micro:
        clock += str(seconds) + ("." + f"{micro:06d}".rstrip("0") if micro else "") + "S"
    if not days and not clock:
        return "PT0S"
    return f"{sign}P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")


def read_binary(value: Any) -> bytes:
    text = read_str(value).replace("-", "+").replace("_", "/")
    try:
        # OData sends base64url; accept the standard alphabet and missing padding too. validate=True
        # rejects other characters, which the lenient decoder would silently drop.
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"expected base64url-encoded Edm.Binary, got {value!r}") from None


def write_binary(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode("ascii")
