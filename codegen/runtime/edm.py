"""Edm primitive values in OData JSON (OData JSON Format 4.01, section 7.1) <-> Python values.

Every reader is strict about the JSON type it accepts, so a schema mismatch is
reported instead of silently coerced; every writer produces the shortest
standard form so that values read from a server are written back unchanged.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

_SPECIAL_FLOATS = {"INF": math.inf, "-INF": -math.inf, "NaN": math.nan}
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


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


def read_int(value: Any) -> int:
    # Int64 arrives as a string when the server is asked for IEEE754Compatible JSON.
    # ASCII digits only (int64Value in the OData ABNF); `\d` would also let "١٢" through.
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value):
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    _expect(value, int, "an integer")
    return value  # type: ignore[no-any-return]


def read_float(value: Any) -> float:
    if isinstance(value, str) and value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    _expect(value, (int, float, Decimal), "a number")
    return float(value)


def write_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return value


def read_decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        # repr gives the shortest string that round-trips, so no binary noise is added.
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal, got {value!r}") from None
    _expect(value, (int, Decimal), "a decimal")
    return Decimal(value)


def read_uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(read_str(value))


def read_datetime(value: Any) -> dt.datetime:
    # Python 3.11 reads any ISO 8601 form, "Z" and 7-digit .NET fractions included.
    result = dt.datetime.fromisoformat(read_str(value))
    if result.tzinfo is None:
        # Edm.DateTimeOffset always carries "Z" or an offset; a naive value could not be written back.
        raise ValueError(f"expected a date and time with a UTC offset or 'Z', got {value!r}")
    return result


def write_datetime(value: dt.datetime) -> str:
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(
            f"naive datetime {value.isoformat()} cannot be sent as Edm.DateTimeOffset: attach a tzinfo, "
            "e.g. value.replace(tzinfo=datetime.timezone.utc) or value.astimezone()"
        )
    return f"{value.date().isoformat()}T{_clock(value)}{_offset(offset)}"


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
    return dt.time.fromisoformat(read_str(value))


def write_time(value: dt.time) -> str:
    if value.utcoffset() is not None:
        raise ValueError(f"time {value.isoformat()} has a UTC offset; Edm.TimeOfDay has none, drop the tzinfo")
    return _clock(value)


def read_duration(value: Any) -> dt.timedelta:
    match = _DURATION.fullmatch(read_str(value))  # `$` alone would allow a trailing newline
    if match is None or value in ("P", "-P") or value.endswith("T"):
        raise ValueError(f"expected an ISO 8601 duration such as 'P1DT2H', got {value!r}")
    parts = match.groupdict()
    delta = dt.timedelta(
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=float(Decimal(parts["seconds"] or 0)),
    )
    return -delta if parts["sign"] else delta


def write_duration(value: dt.timedelta) -> str:
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
