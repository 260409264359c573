"""The base class of every generated entity and complex type, and the per-class wire plan.

Generated classes are plain attrs classes: fields carry their wire name in
metadata and the runtime does the rest. Objects read from the wire remember
which properties the server sent, so a `$select`-ed entity neither invents
values for what it lacks nor sends them back, and an unselected non-nullable
property raises AttributeError instead of lying with a default.
"""

from __future__ import annotations

import importlib
import reprlib
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, SupportsIndex

import attrs

_WIRE = "odata_wire"
_EDM = "odata_edm"


def wire(name: str, edm_type: str | None = None) -> dict[str, str]:
    """Field metadata naming the property on the wire: `attrs.field(metadata=wire("LeadDate"))`.

    `edm_type` is the property's primitive Edm type (`"Edm.Int32"`, `"Edm.Single"`; for a collection, that of
    its items): the reader checks ranges the Python type cannot tell (Int32 and Int64 are both `int`).
    """
    return {_WIRE: name} if edm_type is None else {_WIRE: name, _EDM: edm_type}


@attrs.define(kw_only=True, eq=False, repr=False)
class ODataModel:
    """Base of generated types.

    `dynamic_properties` holds properties the schema does not declare (open
    types, or a server newer than its $metadata), exactly as received.
    `instance_annotations` holds `@odata.etag`, `@odata.context`,
    `Property@odata.type` and the like, keyed as on the wire.
    """

    # Set by each generated class: its qualified OData type name, and its key's attribute names.
    __odata_type__: ClassVar[str] = ""
    __odata_key__: ClassVar[tuple[str, ...]] = ()
    # Key parts through complex properties (`info.id`) -> the Alias their PropertyRef declares (`InfoID`).
    __odata_key_aliases__: ClassVar[Mapping[str, str]] = {}

    dynamic_properties: dict[str, Any] = attrs.field(factory=dict)
    instance_annotations: dict[str, Any] = attrs.field(factory=dict)
    # Wire names the server sent, or None for objects built in Python.
    _odata_present: frozenset[str] | None = attrs.field(default=None, init=False)

    if not TYPE_CHECKING:
        # Hidden from type checkers: a `__getattr__` they could see would make every misspelt or removed
        # attribute (`lead.totally_made_up_name`) type-check as Any.

        def __getattr__(self, name: str) -> Any:
            # Only reached when a slot is empty: the property was not in the response.
            if not name.startswith("_") and name in fields_by_attribute(type(self)):
                raise AttributeError(
                    f"{type(self).__name__}.{name} was not in the server's response (was it left out of $select?)"
                )
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @reprlib.recursive_repr()  # an entity and its expanded navigations may refer to each other
    def __repr__(self) -> str:
        # A partial object shows only what the server sent and names what it did not: the reader fills an
        # unsent nullable property with None, which printed as a value would claim the server said null.
        missing = _not_received(self)
        parts = [
            f"{name}={value!r}"
            for name, value in _set_values(self)
            if name not in missing and (value or name not in _EXTRAS)
        ]
        if missing:
            parts.append(_not_received_note(missing))
        return f"{type(self).__name__}({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return dict(_set_values(self)) == dict(_set_values(other))

    __hash__ = None  # type: ignore[assignment]  # mutable, like attrs classes

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        # For pickle and copy: attrs' own __getstate__ reads every slot, and an empty one (a property the
        # server did not send) raises. The state is what is set, `_odata_present` included; empty stays empty.
        state = {
            f.name: value
            for f in attrs.fields(type(self))
            if (value := getattr(self, f.name, _MISSING)) is not _MISSING
        }
        return (_restore, (type(self), state))


_MISSING = object()


def _restore(cls: type[ODataModel], state: dict[str, Any]) -> ODataModel:
    obj = cls.__new__(cls)
    for name, value in state.items():
        object.__setattr__(obj, name, value)
    return obj


# Shown in a repr only when they hold something.
_EXTRAS = ("dynamic_properties", "instance_annotations")
# How many not-received properties a repr names before it only counts the rest.
_NOT_RECEIVED_NAMED = 5


def _set_values(obj: ODataModel) -> Iterator[tuple[str, Any]]:
    """(public name, value) of each field that is set: a deprecated property's private field is shown under
    its attribute (the field's init alias)."""
    for field in attrs.fields(type(obj)):
        if field.name != "_odata_present":
            value = getattr(obj, field.name, _MISSING)
            if value is not _MISSING:
                yield field.alias or field.name, value


def _not_received(obj: ODataModel) -> list[str]:
    """Attribute names of the declared properties the server did not send, in declaration order.

    Empty for an object built in Python, and for a half-built one that does not say what it received.
    """
    present = getattr(obj, "_odata_present", None)
    if present is None:
        return []
    return [
        f.alias or f.name for f in attrs.fields(type(obj)) if _WIRE in f.metadata and f.metadata[_WIRE] not in present
    ]


def _not_received_note(missing: list[str]) -> str:
    """`<not received: a, b, c, d, e, +38 more>`: bounded, since a `$select` may leave out most of a type."""
    named = missing[:_NOT_RECEIVED_NAMED]
    more = len(missing) - len(named)
    return f"<not received: {', '.join(named)}{f', +{more} more' if more else ''}>"


def fields_by_attribute(cls: type[ODataModel]) -> frozenset[str]:
    """The public attribute names of the wire fields (a deprecated property's is its private field's alias)."""
    return frozenset(f.alias or f.name for f in attrs.fields(cls) if _WIRE in f.metadata)


@attrs.frozen
class WireField:
    """One wire property of a class, known without resolving its type hint (which may import modules)."""

    attribute: str
    wire_name: str
    default_none: bool
    edm_type: str | None
    # The class whose annotations declare the field (a base class for an inherited one), and the annotation.
    owner: type
    annotation: Any


_WIRE_FIELDS: dict[type, tuple[WireField, ...]] = {}


def wire_fields(cls: type[ODataModel]) -> tuple[WireField, ...]:
    """The wire properties of `cls` in declaration order; no module is imported to list them."""
    found = _WIRE_FIELDS.get(cls)
    if found is None:
        found = _WIRE_FIELDS[cls] = tuple(
            WireField(
                attribute=f.name,
                wire_name=f.metadata[_WIRE],
                default_none=f.default is None,
                edm_type=f.metadata.get(_EDM),
                owner=(owner := _declaring_class(cls, f.name)),
                annotation=owner.__dict__["__annotations__"][f.name],
            )
            for f in attrs.fields(cls)
            if _WIRE in f.metadata
        )
    return found


def _declaring_class(cls: type, name: str) -> type:
    for klass in cls.__mro__:
        if name in klass.__dict__.get("__annotations__", {}):
            return klass
    raise TypeError(f"{cls.__name__}.{name} has no annotation")  # attrs fields always have one


def field_hint(field: WireField, *, load: bool) -> Any:
    """The type hint of `field`. With `load=False` only names its module already has are used, and a hint
    naming a generated type its module imports for type checkers only raises NameError; `load=True` imports
    that type from the package, as `typing.get_type_hints` would."""
    annotation = field.annotation
    if not isinstance(annotation, str):
        return annotation
    module_globals = vars(sys.modules[field.owner.__module__])
    # The annotation is source the generator wrote (or a user's own class), evaluated as get_type_hints does.
    if not load:
        return eval(annotation, module_globals)  # noqa: S307
    return eval(annotation, module_globals, _PackageNamespace(package_of(field.owner)))  # noqa: S307


def package_of(cls: type) -> str:
    """The generated package a class belongs to (`aimbase.models.lead` -> `aimbase`)."""
    module = cls.__module__
    return module.rpartition(".models.")[0] or module.rpartition(".")[0]


class _PackageNamespace(Mapping[str, Any]):
    """Names of a generated package, imported on first lookup.

    Generated modules import the classes they refer to only for type checkers,
    which keeps imports lazy and cycle-free; resolving a class's hints looks the
    names up here instead.
    """

    def __init__(self, package: str):
        self._package = package

    def __getitem__(self, name: str) -> Any:
        if not self._package:  # a model class in a top-level module: its own globals are all there is
            raise KeyError(name)
        module = sys.modules.get(self._package) or importlib.import_module(self._package)
        try:
            return getattr(module, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def generated_class(cls: type[ODataModel]) -> type[ODataModel]:
    """The generated class `cls` is or extends: the nearest in its MRO that sets `__odata_type__` (a user's
    registered subclass does not, see `subclasses`); `cls` itself when none does."""
    for klass in cls.__mro__:
        if klass is ODataModel:
            break
        if "__odata_type__" in vars(klass):
            return klass
    return cls


def resolve_odata_type(base: type[ODataModel], odata_type: str) -> type[ODataModel]:
    """The class named by an `@odata.type` annotation, which must be `base` or derive from it.

    A name the package does not know (a server newer than its $metadata) reads
    as `base`, the annotation being kept; a known unrelated type is an error.
    """
    name = odata_type.lstrip("#")
    if name == base.__odata_type__:
        return base
    package = importlib.import_module(package_of(base))
    index: Mapping[str, str] = getattr(package, "__odata_types__", {})
    export = index.get(name)
    if export is None:
        return base
    found = getattr(package, export)
    if not (isinstance(found, type) and issubclass(found, base)):
        raise ValueError(f"@odata.type {odata_type!r} is not {base.__odata_type__} or a type derived from it")
    return found
