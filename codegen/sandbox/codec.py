"""OData JSON values <-> SQLite values, and the checks a PATCHed value must pass.

Everything the sandbox holds is kept in its wire form (what OData JSON carries), so a value reads back
exactly as it was seeded or written: `Edm.Decimal` as its digits (`Decimal` in, JSON number out),
`Edm.DateTimeOffset` with the offset it was given, open complex types as their JSON object.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..csdl.model import Property, TypeRef
from ..runtime import edm
from ..runtime.http.jsonio import decimal_text, dumps, loads
from .schema import INTEGER_RANGES, INTEGER_TYPES, Column, Model

__all__ = ["ValueProblem", "check_value", "from_sql", "to_sql"]


class ValueProblem(ValueError):
    """A value that does not fit its property; `target` is the property path it was found at."""

    def __init__(self, message: str, target: str) -> None:
        super().__init__(message)
        self.message = message
        self.target = target


def to_sql(column: Column, value: Any) -> Any:
    """A wire value (already checked) as stored in `column`."""
    if value is None:
        return None
    if column.kind != "primitive":
        return _json(value) if column.kind != "enum" else value
    kind = column.edm
    if kind == "Edm.Boolean":
        return 1 if value else 0
    if kind in INTEGER_TYPES:
        return int(value)
    if kind in ("Edm.Double", "Edm.Single"):
        return edm.read_float(value)
    if kind == "Edm.Decimal":
        return decimal_text(value if isinstance(value, Decimal) else Decimal(str(value)))
    if kind == "Edm.Guid":
        return str(value).lower()
    if kind.startswith(("Edm.Geography", "Edm.Geometry")) or kind == "Edm.Untyped":
        return _json(value)
    return value


def from_sql(column: Column, value: Any) -> Any:
    """A stored value as OData JSON (for `jsonio.dumps`)."""
    if value is None:
        return None
    if column.kind in ("complex", "collection"):
        return loads(value)
    if column.kind == "enum":
        return value
    kind = column.edm
    if kind == "Edm.Boolean":
        return bool(value)
    if kind in INTEGER_TYPES:
        return int(value)
    if kind in ("Edm.Double", "Edm.Single"):
        return edm.write_float(float(value))
    if kind == "Edm.Decimal":
        return Decimal(value)
    if kind.startswith(("Edm.Geography", "Edm.Geometry")) or kind == "Edm.Untyped":
        return loads(value)
    return value


def _json(value: Any) -> str:
    return dumps(value).decode("utf-8")


def check_value(model: Model, prop: Property, value: Any, target: str | None = None) -> Any:
    """`value` (parsed from a request body) for `prop`, normalised to its wire form; `ValueProblem` if it does
    not fit the property's type, nullability, MaxLength or allowed values."""
    where = target or prop.name
    if value is None:
        if not prop.nullable:
            raise ValueProblem(f"The property '{where}' cannot be null.", where)
        return None
    kind, name = model.classify(prop.type)
    if kind == "collection":
        if not isinstance(value, list):
            raise ValueProblem(f"The property '{where}' expects a JSON array.", where)
        element = TypeRef(prop.type.name)
        item_prop = Property(prop.name, element, True, prop.location, prop.max_length, doc=prop.doc)
        return [check_value(model, item_prop, item, f"{where}[{i}]") for i, item in enumerate(value)]
    normalised = _check_single(model, kind, name, value, where)
    if isinstance(normalised, str):
        if prop.max_length is not None and len(normalised) > prop.max_length:
            message = f"The value of '{where}' is {len(normalised)} characters long; MaxLength is {prop.max_length}."
            raise ValueProblem(message, where)
        allowed = [a.value for a in prop.doc.allowed_values]
        if allowed and normalised not in allowed:
            shown = ", ".join(repr(a) for a in allowed)
            raise ValueProblem(f"The value {normalised!r} is not allowed for '{where}'; allowed: {shown}.", where)
    return normalised


def _check_single(model: Model, kind: str, name: str, value: Any, where: str) -> Any:
    if kind == "complex":
        return _check_complex(model, name, value, where)
    if kind == "enum":
        members = {m.name for m in model.enums[name].members}
        parts = value.split(",") if isinstance(value, str) else [None]
        if not all(part in members for part in parts) or (len(parts) > 1 and not model.enums[name].is_flags):
            raise ValueProblem(f"{value!r} is not a member of {name} (property '{where}').", where)
        return value
    try:
        return _check_primitive(name, value)
    except (ValueError, TypeError, OverflowError) as error:
        raise ValueProblem(f"Cannot convert the value of '{where}' to {name}: {error}", where) from None


def _check_primitive(name: str, value: Any) -> Any:
    if name == "Edm.String":
        return edm.read_str(value)
    if name == "Edm.Boolean":
        return edm.read_bool(value)
    if name in INTEGER_TYPES:
        number = edm.read_int(value)
        low, high = INTEGER_RANGES[name]
        if not low <= number <= high:
            raise ValueError(f"{number} is out of range")
        return number
    if name in ("Edm.Double", "Edm.Single"):
        result = edm.read_float(value)
        return edm.write_float(result)
    if name == "Edm.Decimal":
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("not a finite number")
        exact = edm.read_decimal(value)
        if not exact.is_finite():
            raise ValueError("not a finite number")
        return exact
    if name == "Edm.DateTimeOffset":
        return edm.write_datetime(edm.read_datetime(value))
    if name == "Edm.Date":
        return edm.read_date(value).isoformat()
    if name == "Edm.TimeOfDay":
        return edm.write_time(edm.read_time(value))
    if name == "Edm.Duration":
        return edm.write_duration(edm.read_duration(value))
    if name == "Edm.Guid":
        return str(edm.read_uuid(value))
    if name == "Edm.Binary":
        return edm.write_binary(edm.read_binary(value))
    return value  # geography, geometry, Untyped: any JSON


def _check_complex(model: Model, type_name: str, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueProblem(f"The property '{where}' expects a JSON object ({type_name}).", where)
    declared = {p.name: p for p in model.properties(type_name)}
    result: dict[str, Any] = {}
    for key, item in value.items():
        if "@" in key:
            continue  # instance and property annotations are not stored
        prop = declared.get(key)
        if prop is not None:
            result[key] = check_value(model, prop, item, f"{where}/{key}")
        elif model.is_open(type_name):
            result[key] = item
        else:
            raise ValueProblem(f"The type {type_name} has no property '{key}' (at '{where}').", f"{where}/{key}")
    return result
