"""SQLite functions for what SQL does not do the OData way.

SQLite's `LOWER`/`UPPER` only know ASCII, `LIKE` ignores ASCII case, `strftime` moves a value with an offset
to UTC before taking its year, and `ROUND` rounds half to even on some builds: these functions follow the
OData URL conventions instead (Unicode case mapping, case-sensitive matching, date parts in the value's own
offset, rounding half away from zero). Each returns NULL for a NULL argument, as OData functions do.
`odata_double_json` is not an OData function: it writes a stored double as `jsonrows` needs it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sqlite3
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..runtime.edm import write_float
from ..runtime.http.jsonio import dumps

__all__ = ["INSTANT_FORMAT", "instant", "register"]

# Fixed width, UTC: text order is time order.
INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@functools.lru_cache(maxsize=65536)
def _parse(text: str) -> dt.datetime | dt.date | dt.time | None:
    for parse in (dt.datetime.fromisoformat, dt.date.fromisoformat, dt.time.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


@functools.lru_cache(maxsize=65536)
def instant(text: str) -> str | None:
    """A date-time text (with offset; a naive one is taken as UTC) as a comparable UTC instant."""
    value = _parse(text)
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime(INSTANT_FORMAT)


def _null_safe(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any) -> Any:
        if any(arg is None for arg in args):
            return None
        return function(*args)

    return call


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _part(name: str, value: Any) -> Any:
    parsed = _parse(_text(value))
    if parsed is None:
        return None
    if name == "date":
        return parsed.date().isoformat() if isinstance(parsed, dt.datetime) else None
    if name == "time":
        return parsed.time().isoformat() if isinstance(parsed, dt.datetime) else None
    if name == "totaloffsetminutes":
        offset = parsed.utcoffset() if isinstance(parsed, dt.datetime) else None
        return None if offset is None else int(offset.total_seconds() // 60)
    if name == "fractionalseconds":
        micro = getattr(parsed, "microsecond", None)
        return None if micro is None else micro / 1_000_000
    result = getattr(parsed, name, None)
    return result if isinstance(result, int) else None


def _round(value: Any) -> Any:
    if isinstance(value, int):
        return value
    return float(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _matches(value: Any, pattern: Any) -> int:
    try:
        return 1 if re.search(_text(pattern), _text(value)) else 0
    except re.error:
        raise ValueError(f"matchesPattern: invalid pattern {pattern!r}") from None


def _has(needle: Any, *values: Any) -> int:
    """1 when `needle` occurs, ignoring case, in the text of any of `values` (a `$search` term)."""
    wanted = _text(needle).casefold()
    return int(any(wanted in _text(v).casefold() for v in values if v is not None))


def _double_json(value: Any) -> str:
    """A stored `Edm.Double` as the JSON text the Python path writes: the shortest repr, or "NaN"/"INF"."""
    if value is None:
        return "null"
    return dumps(write_float(float(value))).decode("ascii")


def register(connection: sqlite3.Connection) -> None:
    """Add the `odata_*` functions to `connection`."""
    functions: dict[str, tuple[int, Callable[..., Any]]] = {
        "odata_instant": (1, _null_safe(lambda v: instant(_text(v)))),
        "odata_contains": (2, _null_safe(lambda a, b: int(_text(b) in _text(a)))),
        "odata_startswith": (2, _null_safe(lambda a, b: int(_text(a).startswith(_text(b))))),
        "odata_endswith": (2, _null_safe(lambda a, b: int(_text(a).endswith(_text(b))))),
        "odata_indexof": (2, _null_safe(lambda a, b: _text(a).find(_text(b)))),
        "odata_tolower": (1, _null_safe(lambda a: _text(a).lower())),
        "odata_toupper": (1, _null_safe(lambda a: _text(a).upper())),
        "odata_trim": (1, _null_safe(lambda a: _text(a).strip())),
        "odata_part": (2, _null_safe(_part)),
        "odata_round": (1, _null_safe(_round)),
        "odata_floor": (1, _null_safe(lambda v: v if isinstance(v, int) else float(math.floor(v)))),
        "odata_ceiling": (1, _null_safe(lambda v: v if isinstance(v, int) else float(math.ceil(v)))),
        "odata_matches": (2, _null_safe(_matches)),
        "odata_has": (-1, _has),
        "odata_double_json": (1, _double_json),
    }
    for name, (arity, function) in functions.items():
        connection.create_function(name, arity, function, deterministic=True)
