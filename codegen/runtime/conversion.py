"""One cattrs converter for every generated package: OData JSON <-> attrs objects.

`configure_converter()` registers all hooks; generated classes carry no
(de)serialisation code of their own, only field metadata naming the wire (and,
where the Python type cannot tell, the Edm type: Int32 and Int64 are both int).

Each class's field readers are chosen once, on its first read. Values keep
their wire form where Python's types would lose it (see `edm`): an Int64 or
Decimal sent as a string is written back as a string, 7-digit fractions keep
their digits. Numbers outside their Edm type's range are refused, and enum
members may arrive as their numbers (`"1"`, `3`, flags `"3"`); an enum value
keeps the form it was sent in while it is unchanged (see `enums`).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import cattrs

from . import edm
from .enums import Form, Received, enum_wire_value, read_enum, sent_form, written
from .errors import DeserializationError
from .model import FieldPlan, ODataModel, class_plan, resolve_odata_type

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
    for cls, reader in _READERS.items():
        converter.register_structure_hook(cls, _primitive_reader(reader))
    for cls, writer in _WRITERS.items():
        converter.register_unstructure_hook(cls, writer)
    converter.register_structure_hook_func(_is_enum, read_enum)
    converter.register_unstructure_hook_func(_is_enum, enum_wire_value)
    converter.register_structure_hook_func(_is_model, _model_reader(converter))
    converter.register_unstructure_hook_func(_is_model, _model_writer(converter))
    return converter


def make_converter() -> cattrs.Converter:
    # Plain exceptions, so DeserializationError paths survive lists and unions.
    return configure_converter(cattrs.Converter(detailed_validation=False))


def _primitive_reader(reader: Callable[[Any], T]) -> Callable[[Any, type], T]:
    return lambda value, _cls: reader(value)


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _is_derived(cls: type[ODataModel]) -> bool:
    return any(base is not ODataModel and _is_model(base) for base in cls.__bases__)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, ODataModel)


_Reader = Callable[[Any], Any]
# Per class: wire name -> (attribute, reader of a non-null value, whether the field holds enum values).
_ClassReaders = dict[str, tuple[str, _Reader, bool]]


def _class_readers(converter: cattrs.Converter, cls: type[ODataModel]) -> _ClassReaders:
    return {
        field.wire_name: (field.attribute, _field_reader(converter, field), _is_enum(_unwrap(field.type)[0]))
        for field in class_plan(cls).fields
    }


def _field_reader(converter: cattrs.Converter, field: FieldPlan) -> _Reader:
    """The reader of one field, chosen once per class: an Edm integer or floating type gets its range checks
    (both Int32 and Int64 are `int` in Python); everything else goes to the converter's hook for its type."""
    base, is_list = _unwrap(field.type)
    checked = _edm_number_reader(base, field.edm_type)
    if checked is not None:
        return _list_reader(checked) if is_list else checked
    hook = converter.get_structure_hook(field.type)
    field_type = field.type
    return lambda value: hook(value, field_type)


def _edm_number_reader(base: Any, edm_type: str | None) -> _Reader | None:
    if base is int and edm_type is not None and edm_type in edm.INT_RANGES:
        int_type = edm_type  # bound now: the lambda must not see a later rebinding
        return lambda value: edm.read_wire_int(value, int_type)
    if base is float and edm_type == "Edm.Single":
        return lambda value: edm.read_float(value, "Edm.Single")
    return None


def _list_reader(item: _Reader) -> _Reader:
    def read(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ValueError(f"expected a JSON array, got {type(value).__name__}")
        return [None if element is None else item(element) for element in value]

    return read


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """`int | None` -> (int, False); `list[int]` and `list[int | None] | None` -> (int, True)."""
    hint = _without_none(hint)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (Any,)
        return _without_none(item), True
    return hint, False


def _without_none(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else hint
    return hint


def _model_reader(converter: cattrs.Converter) -> Callable[[Any, type[ODataModel]], ODataModel]:
    readers_of: dict[type[ODataModel], _ClassReaders] = {}

    def structure(data: Any, cls: type[ODataModel]) -> ODataModel:
        if not isinstance(data, Mapping):
            raise DeserializationError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
        odata_type = data.get("@odata.type") or data.get("@type")
        try:
            target = resolve_odata_type(cls, odata_type) if isinstance(odata_type, str) else cls
        except ValueError as exc:  # a known type that is not `cls` or derived from it
            raise DeserializationError(str(exc), owner=cls.__name__) from None
        plan = class_plan(target)
        readers = readers_of.get(target)
        if readers is None:
            readers = readers_of[target] = _class_readers(converter, target)
        obj = target.__new__(target)
        dynamic: dict[str, Any] = {}
        annotations: dict[str, Any] = {}
        present = set()
        forms: dict[str, Form] = {}
        for key, value in data.items():
            reader = readers.get(key)
            if reader is not None:
                attribute, read, holds_enums = reader
                try:
                    result = None if value is None else read(value)
                except Exception as exc:
                    raise DeserializationError.at(target, key, exc) from None
                setattr(obj, attribute, result)
                form = sent_form(value, result) if holds_enums else None
                if form is not None:
                    forms[key] = form
                present.add(key)
            elif "@" in key:
                annotations[key] = value
            else:
                dynamic[key] = value
        for field in plan.fields:
            if field.default_none and field.wire_name not in present:
                setattr(obj, field.attribute, None)
        obj.dynamic_properties = dynamic
        obj.instance_annotations = annotations
        obj._odata_present = Received(present, forms) if forms else frozenset(present)
        return obj

    return structure


_MISSING = object()


def _model_writer(converter: cattrs.Converter) -> Callable[[ODataModel], dict[str, Any]]:
    def unstructure(obj: ODataModel) -> dict[str, Any]:
        present = obj._odata_present
        forms = present.forms if isinstance(present, Received) else {}
        annotations = obj.instance_annotations
        # OData JSON puts an object's own annotations first and a property's just before it.
        out = {k: v for k, v in annotations.items() if k.startswith("@")}
        if present is None and "@odata.type" not in out and _is_derived(type(obj)):
            # Built in Python: a server can only tell a derived type by its annotation.
            out["@odata.type"] = f"#{obj.__odata_type__}"
        for field in class_plan(type(obj)).fields:
            if present is not None and field.wire_name not in present:
                continue
            value = getattr(obj, field.attribute, _MISSING)
            if value is not _MISSING:
                prefix = f"{field.wire_name}@"
                out.update((k, v) for k, v in annotations.items() if k.startswith(prefix))
                out[field.wire_name] = _property_json(value, forms.get(field.wire_name), converter.unstructure)
        out.update((k, v) for k, v in annotations.items() if k not in out)
        out.update(obj.dynamic_properties)
        return out

    return unstructure


def _property_json(value: Any, form: Form | None, write: Callable[[Any], Any]) -> Any:
    if value is None:
        return None
    # An enum value the server sent in a form of its own goes back in that form while it is unchanged.
    return write(value) if form is None else written(value, form, write)


converter = make_converter()


def structure(data: Any, cls: type[T]) -> T:
    """OData JSON (as parsed by `json.loads`) -> an instance of generated class `cls`."""
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """A generated object -> OData JSON-ready Python data (Decimal kept exact)."""
    return converter.unstructure(obj)
