"""The API surface of a generated package: plain, immutable data keyed by OData names, carrying the Python names.

A surface is what `compare` diffs. It holds only what code using the package can depend on (names, types,
facets, editability, operation signatures), never documentation, so a reworded description is no change.
Every tuple is sorted by its OData key, which makes two surfaces of one document equal and their JSON
identical. `build.py` makes one from a document and a spec; `codec.py` writes and reads it as JSON.
"""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class PropertySurface:
    name: str  # wire name
    attribute: str  # the model's attribute
    type: str  # qualified OData type of the item
    collection: bool
    nullable: bool
    required: bool  # the model's constructor needs a value for it
    annotation: str  # the Python annotation of the attribute
    max_length: int | None
    precision: int | None
    scale: str | None
    allowed_values: tuple[str, ...]  # Python literals, as the client checks them
    computed: bool
    immutable: bool


@attrs.frozen(kw_only=True)
class NavigationSurface:
    name: str
    attribute: str
    target: str
    collection: bool
    nullable: bool
    contains_target: bool


@attrs.frozen(kw_only=True)
class TypeSurface:
    qualified_name: str
    kind: str  # "entity" or "complex"
    python: str  # the model class
    base_type: str | None
    abstract: bool
    open_type: bool
    key: tuple[str, ...]  # wire key paths, as declared (empty when inherited or a complex type)
    properties: tuple[PropertySurface, ...]
    navigations: tuple[NavigationSurface, ...]
    item_class: str | None  # the client's item class of an entity type
    item_patch: tuple[tuple[str, str], ...]  # (wire name, parameter) of the item class's patch()


@attrs.frozen(kw_only=True)
class EnumMemberSurface:
    name: str
    python: str
    value: int


@attrs.frozen(kw_only=True)
class EnumSurface:
    qualified_name: str
    python: str
    flags: bool
    underlying_type: str
    members: tuple[EnumMemberSurface, ...]


@attrs.frozen(kw_only=True)
class TypeDefinitionSurface:
    qualified_name: str
    underlying_type: str
    max_length: int | None


@attrs.frozen(kw_only=True)
class ParameterSurface:
    name: str
    python: str  # the method's keyword parameter ("" when no method is generated)
    type: str
    collection: bool
    nullable: bool


@attrs.frozen(kw_only=True)
class OperationSurface:
    """One action or function overload, identified by `key` (`NS.Op` or `NS.Op@Binding`) and `signature`."""

    key: str
    signature: str  # its non-binding parameter names, sorted and comma-separated: tells overloads apart
    qualified_name: str
    kind: str  # "action" or "function"
    binding: str | None  # the binding parameter's type, `Collection(NS.T)` for a collection
    composable: bool
    parameters: tuple[ParameterSurface, ...]  # the non-binding ones, in declared order
    return_type: str | None
    return_collection: bool
    return_nullable: bool
    methods: tuple[str, ...]  # `Class.method` of every generated method that calls it


@attrs.frozen(kw_only=True)
class EntitySetSurface:
    name: str
    entity_type: str
    accessor: str  # the client's attribute
    class_name: str
    insertable: bool
    updatable: bool
    deletable: bool
    non_updatable: tuple[str, ...]  # Capabilities.UpdateRestrictions/NonUpdatableProperties
    patch: tuple[tuple[str, str], ...]  # (wire name, parameter) of the set's patch()


@attrs.frozen(kw_only=True)
class SingletonSurface:
    name: str
    type: str
    accessor: str


@attrs.frozen(kw_only=True)
class ImportSurface:
    name: str
    kind: str  # "action" or "function"
    operation: str
    entity_set: str | None
    methods: tuple[str, ...]  # `Client.method` of each overload


@attrs.frozen(kw_only=True)
class Surface:
    client: str  # the service client class
    entity_sets: tuple[EntitySetSurface, ...]
    singletons: tuple[SingletonSurface, ...]
    imports: tuple[ImportSurface, ...]
    types: tuple[TypeSurface, ...]
    enums: tuple[EnumSurface, ...]
    type_definitions: tuple[TypeDefinitionSurface, ...]
    operations: tuple[OperationSurface, ...]
