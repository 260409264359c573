"""Key predicates and entity paths: `Leads(114)`, `People('O''Neil')`, `OrderItems(OrderID=1,ItemID='a')`.

A key is given as

- one value, for a single-part key: `entity_path("Leads", 114)` -> `Leads(114)`;
- a mapping or keywords of wire names, for a composite key (or the long form of a single one), written in the
  order given: `entity_path("OrderItems", {"OrderID": 1, "ItemID": "a"})` or
  `entity_path("OrderItems", OrderID=1, ItemID="a")` -> `OrderItems(OrderID=1,ItemID='a')`;
- an entity read from the service (a generated model instance such as a `Lead`): its key properties in the
  order the CSDL declares them (`__odata_key__`), under their wire names; a single-part key in the short form.

Values are written as URL literals (`format_literal`) and percent-encoded (`percent_encode`) as path text:
strings are quoted with `'` doubled (`'O''Neil'`; the quote itself stays literal, as the ABNF's SQUOTE
allows); `/`, `?`, `#`, `%`, `&`, `;`, `=`, `+`, spaces and non-ASCII characters inside them are
percent-encoded; GUIDs, numbers, dates and times are unquoted. The ABNF rule is `keyPredicate` (simpleKey /
compoundKey); key-as-segment (`Leads/114`) and parameter aliases are not produced.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Final, TypeAlias

from ..identifiers import is_identifier
from ..model import ODataModel, wire_fields
from .literals import format_literal, percent_encode

__all__ = ["Key", "KeyValue", "entity_path", "key_predicate"]

# The Python types of the Edm types a key property may have (CSDL 4.01 section 8.2: Boolean, Byte, Date,
# DateTimeOffset, Decimal, Duration, Guid, Int16/32/64, SByte, String, TimeOfDay, enumerations).
KeyValue: TypeAlias = (
    bool | int | str | Decimal | uuid.UUID | dt.datetime | dt.date | dt.time | dt.timedelta | enum.Enum
)
Key: TypeAlias = KeyValue | Mapping[str, KeyValue] | ODataModel

_KEY_TYPES: Final = (bool, int, str, Decimal, uuid.UUID, dt.datetime, dt.date, dt.time, dt.timedelta, enum.Enum)


def key_predicate(key: Key | None = None, /, **parts: KeyValue) -> str:
    """The key predicate `(114)`, `('O''Neil')` or `(OrderID=1,ItemID='a')`, percent-encoded for a URL path.

    `key` is one value, a mapping of wire names to values, or an entity (a generated model instance); or give
    the parts as keywords (wire names). Raises TypeError for a value that cannot be a key (None, float,
    bytes, ...) and ValueError for a part name that is not an OData identifier or an entity whose key
    properties were not read.
    """
    if parts:
        if key is not None:
            raise TypeError("key_predicate() takes a key or key parts as keywords, not both")
        return _compound(parts)
    if key is None:
        raise TypeError("key_predicate() needs a key: a value, a mapping of key properties, or an entity")
    if isinstance(key, ODataModel):
        return _of_entity(key)
    if isinstance(key, Mapping):
        return _compound(key)
    return f"({_value(key, 'key')})"


def entity_path(entity_set: str, key: Key | None = None, /, **parts: KeyValue) -> str:
    """`Leads`, or with a key `Leads(114)`: the resource path of an entity set or of one entity in it.

    The key is given as for `key_predicate`: `entity_path("Leads", 114)`, `entity_path("OrderItems",
    OrderID=1, ItemID="a")`, `entity_path("OrderItems", {"OrderID": 1, "ItemID": "a"})`, or
    `entity_path("Leads", lead)` for an entity read earlier.
    """
    if not isinstance(entity_set, str):
        raise TypeError(f"entity_set must be a str, not {type(entity_set).__name__} {entity_set!r}")
    if not is_identifier(entity_set):
        raise ValueError(f"entity_set {entity_set!r} is not an entity set name (an OData identifier)")
    path = percent_encode(entity_set)
    if key is None and not parts:
        return path
    return path + key_predicate(key, **parts)


def _compound(parts: Mapping[str, KeyValue]) -> str:
    if not parts:
        raise ValueError("a composite key needs at least one key property")
    written = []
    for name, value in parts.items():
        if not is_identifier(name):
            raise ValueError(f"key property name {name!r} is not an OData identifier")
        written.append(f"{percent_encode(name)}={_value(value, name)}")
    return f"({','.join(written)})"


def _of_entity(entity: ODataModel) -> str:
    cls = type(entity)
    attributes = cls.__odata_key__
    if not attributes:
        raise ValueError(f"{cls.__qualname__} has no key (__odata_key__ is empty): is it a complex type?")
    wire = {field.attribute: field.wire_name for field in wire_fields(cls)}
    # A key part through a complex property (`info.id`) is sent under the Alias its PropertyRef declares.
    wire |= cls.__odata_key_aliases__
    values: dict[str, KeyValue] = {}
    for attribute in attributes:
        try:
            values[wire[attribute]] = _attribute_path(entity, attribute)
        except AttributeError:
            raise ValueError(
                f"the key property {attribute!r} of this {cls.__qualname__} was not read (left out of $select?)"
            ) from None
    if len(values) == 1:
        return f"({_value(next(iter(values.values())), attributes[0])})"
    return _compound(values)


def _attribute_path(entity: object, path: str) -> KeyValue:
    value = entity
    for attribute in path.split("."):
        if value is None:
            raise AttributeError(attribute)
        value = getattr(value, attribute)
    return value  # type: ignore[return-value]  # checked by _value


def _value(value: object, name: str) -> str:
    if value is None:
        raise TypeError(f"key value {name!r} is None; a key property cannot be null")
    if not isinstance(value, _KEY_TYPES):
        raise TypeError(
            f"key value {name!r} is a {type(value).__name__} ({value!r}); keys are bool, int, str, Decimal, UUID, "
            "datetime, date, time, timedelta or enum values"
        )
    return percent_encode(format_literal(value))
