"""One cattrs converter for every generated package: OData JSON <-> attrs objects.

`configure_converter()` registers all hooks; generated classes carry no
(de)serialisation code of their own, only field metadata naming the wire (and,
where the Python type cannot tell, the Edm type: Int32 and Int64 are both int).

Each class's reader and writer are compiled once, on first use (see `compiled`). Values keep
their wire form where Python's types would lose it (see `edm`): an Int64 or
Decimal sent as a string is written back as a string, 7-digit fractions keep
their digits. Numbers outside their Edm type's range are refused, and enum
members may arrive as their numbers (`"1"`, `3`, flags `"3"`); an enum value
keeps the form it was sent in while it is unchanged (see `enums`).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import cattrs

from . import edm
from .compiled import Specialiser
from .enums import enum_wire_value, read_enum
from .model import ODataModel

T = TypeVar("T")

_READERS: dict[type, Callable[[Any], Any]] = {
    str: edm.read_str,
    bool: edm.read_bool,
    int: edm.read_wire_int,  # Edm.Int64 unless the field's Edm type says otherwise
    float: edm.read_float,
    Decimal: edm.read_decimal,
    uuid.UUID: edm.read_uuid,
    dt.datetime: edm.read_datetime,
    dt.date: edm.read_date,
    dt.time: edm.read_time,
    dt.timedelta: edm.read_duration,
    bytes: edm.read_binary,
}
_WRITERS: dict[type, Callable[[Any], Any]] = {
    edm.WireInt: edm.write_int,  # an Int64 that came as a string goes back as one
    float: edm.write_float,
    Decimal: edm.write_decimal,  # kept exact; a WireDecimal goes back as the string it came as
    uuid.UUID: str,
    dt.datetime: edm.write_datetime,
    dt.date: dt.date.isoformat,
    dt.time: edm.write_time,
    dt.timedelta: edm.write_duration,
    bytes: edm.write_binary,
}


def configure_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """Register the OData hooks on `converter` and return it."""
    primitive_hooks = {}
    for cls, reader in _READERS.items():
        hook = _primitive_reader(reader)
        primitive_hooks[hook] = reader
        converter.register_structure_hook(cls, hook)
    for cls, writer in _WRITERS.items():
        converter.register_unstructure_hook(cls, writer)
    converter.register_structure_hook_func(_is_enum, read_enum)
    converter.register_unstructure_hook_func(_is_enum, enum_wire_value)
    models = Specialiser(converter, primitive_hooks)
    converter.register_structure_hook_func(_is_model, models.structure)
    converter.register_unstructure_hook_func(_is_model, models.unstructure)
    return converter


def make_converter() -> cattrs.Converter:
    # Plain exceptions, so DeserializationError paths survive lists and unions.
    return configure_converter(cattrs.Converter(detailed_validation=False))


def _primitive_reader(reader: Callable[[Any], T]) -> Callable[[Any, type], T]:
    return lambda value, _cls: reader(value)


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, ODataModel)


converter = make_converter()


def structure(data: Any, cls: type[T]) -> T:
    """OData JSON (as parsed by `json.loads`) -> an instance of generated class `cls`."""
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """A generated object -> OData JSON-ready Python data (Decimal kept exact)."""
    return converter.unstructure(obj)
