"""Reference checks: every type a document names must exist, so errors point at the CSDL, not at our output.

Every check is linear in the size of the document: inheritance is walked once, from the roots down, so a
long chain of base types costs no more than the same number of unrelated types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn

from ..errors import MetadataError
from .edm import PRIMITIVE_TYPES
from .identifiers import shown as _shown
from .limits import MAX_INHERITANCE_DEPTH, MAX_MEMBERS_PER_TYPE, MAX_TYPES
from .model import (
    Document,
    EntityContainer,
    EnumType,
    Location,
    NavigationProperty,
    Operation,
    Property,
    StructuredType,
    TypeDefinition,
    TypeRef,
)

_ENUM_UNDERLYING_TYPES = ("Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32", "Edm.Int64")


def check_references(document: Document) -> None:
    _check_type_count(document)
    _check_unique_type_names(document)
    for enum in document.enum_types():
        if enum.underlying_type not in _ENUM_UNDERLYING_TYPES:
            _fail(
                f"enum type {_shown(enum.qualified_name)} has underlying type {_shown(enum.underlying_type)}; "
                f"expected one of {', '.join(_ENUM_UNDERLYING_TYPES)}",
                enum.location,
            )
    structured = {t.qualified_name: t for t in document.structured_types()}
    known = set(structured) | {t.qualified_name for t in document.enum_types()}
    known |= {t.qualified_name for t in document.type_definitions()}
    entities = {name for name, t in structured.items() if t.kind == "entity"}
    unresolved = dict(document.unresolved_references)

    def require(ref: TypeRef | str, where: Location, what: str, allowed: set[str] = known) -> None:
        name = ref.name if isinstance(ref, TypeRef) else ref
        if name.startswith("Edm."):
            if name not in PRIMITIVE_TYPES:
                _fail(f"{what} has unknown primitive type {_shown(name)}", where)
            return
        if name not in allowed:
            namespace = name.rpartition(".")[0]
            hint = ""
            if namespace in unresolved:
                hint = (
                    f" (namespace {_shown(namespace)} comes from edmx:Reference {_shown(unresolved[namespace])}, "
                    "which is not resolved: name a local copy in the spec's [metadata] references)"
                )
            kind = "entity type" if allowed is entities else "type"
            _fail(f"{what} refers to unknown {kind} {_shown(name)}{hint}", where)

    _check_inheritance(structured)
    _check_members(structured)
    for t in structured.values():
        for p in t.properties:
            require(p.type, p.location, f"property {t.name}.{p.name}")
        for n in t.navigation_properties:
            require(n.type, n.location, f"navigation property {t.name}.{n.name}", entities)
    _check_keys(document, structured)
    for typedef in document.type_definitions():
        _check_type_definition(typedef)
    operations = [o for schema in document.schemas for o in schema.operations]
    for operation in operations:
        for parameter in operation.parameters:
            require(
                parameter.type,
                operation.location,
                f"parameter {_shown(parameter.name)} of {_shown(operation.qualified_name)}",
            )
        if operation.return_type is not None:
            require(operation.return_type, operation.location, f"return type of {_shown(operation.qualified_name)}")
    sets = {s.name for c in document.containers() for s in c.entity_sets}
    for container in document.containers():
        for entity_set in container.entity_sets:
            require(entity_set.entity_type, entity_set.location, f"entity set {_shown(entity_set.name)}", entities)
        for singleton in container.singletons:
            require(singleton.type, singleton.location, f"singleton {_shown(singleton.name)}", entities)
        _check_imports(container, operations, sets)


def _check_unique_type_names(document: Document) -> None:
    seen: set[str] = set()
    types: list[StructuredType | EnumType | TypeDefinition] = [
        *document.structured_types(),
        *document.enum_types(),
        *document.type_definitions(),
    ]
    for t in types:
        if not t.name:
            _fail(f"a type in namespace {_shown(t.namespace)} has no Name", t.location)
        if t.qualified_name in seen:
            _fail(f"type {_shown(t.qualified_name)} is defined more than once", t.location)
        seen.add(t.qualified_name)


def _check_type_definition(typedef: TypeDefinition) -> None:
    # CSDL 11: the underlying type is a primitive type, never another type definition (so no cycles either).
    if typedef.underlying_type not in PRIMITIVE_TYPES:
        _fail(
            f"type definition {_shown(typedef.qualified_name)} has underlying type {_shown(typedef.underlying_type)}, "
            "which is not a primitive Edm type",
            typedef.location,
        )


def _check_type_count(document: Document) -> None:
    types: list[StructuredType | EnumType] = [*document.structured_types(), *document.enum_types()]
    if len(types) > MAX_TYPES:
        _fail(
            f"document defines more than the limit of {MAX_TYPES} structured and enum types (MAX_TYPES)",
            types[MAX_TYPES].location,
        )


def _check_inheritance(structured: dict[str, StructuredType]) -> None:
    """Known base types of the same kind, no cycles, chains at most MAX_INHERITANCE_DEPTH deep; linear time."""
    depth: dict[str, int] = {}
    for start in structured.values():
        chain: list[StructuredType] = []  # types whose depth is not known yet, derived first
        on_chain: set[str] = set()
        current: StructuredType | None = start
        while current is not None and current.qualified_name not in depth:
            if current.qualified_name in on_chain:
                _fail(f"type {_shown(current.qualified_name)} inherits from itself", current.location)
            chain.append(current)
            on_chain.add(current.qualified_name)
            current = _base_of(current, structured)
        level = depth[current.qualified_name] if current is not None else -1
        for t in reversed(chain):
            level += 1
            if level > MAX_INHERITANCE_DEPTH:
                _fail(
                    f"type {_shown(t.qualified_name)} has more than the limit of {MAX_INHERITANCE_DEPTH} levels of base "
                    "types (MAX_INHERITANCE_DEPTH)",
                    t.location,
                )
            depth[t.qualified_name] = level


def _base_of(t: StructuredType, structured: dict[str, StructuredType]) -> StructuredType | None:
    if t.base_type is None:
        return None
    base = structured.get(t.base_type)
    if base is None:
        _fail(f"{t.kind} type {_shown(t.qualified_name)} has unknown base type {_shown(t.base_type)}", t.location)
    elif base.kind != t.kind:
        _fail(
            f"{t.kind} type {_shown(t.qualified_name)} has base type {_shown(t.base_type)}, which is a {base.kind} type",
            t.location,
        )
    return base


def _check_members(structured: dict[str, StructuredType]) -> None:
    """No property is declared twice, in one type or along its base types.

    A depth-first walk from each root keeps the names declared on the path from the root to the current
    type, so each declaration is added and removed once: linear, where walking every type's ancestors
    is quadratic in the length of a chain.
    """
    derived: dict[str, list[StructuredType]] = {}
    for t in structured.values():
        if t.base_type is not None:
            derived.setdefault(t.base_type, []).append(t)
    declared_on_path: dict[str, str] = {}  # member name -> the type on the current path declaring it
    roots = [t for t in structured.values() if t.base_type is None]
    # Each stack entry: a type to enter, or (after its subtree) the names it added, to remove again.
    stack: list[StructuredType | list[str]] = list(reversed(roots))
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            for name in item:
                del declared_on_path[name]
            continue
        added = _declare(item, declared_on_path)
        stack.append(added)
        stack.extend(reversed(derived.get(item.qualified_name, [])))


def _declare(t: StructuredType, declared_on_path: dict[str, str]) -> list[str]:
    added: list[str] = []
    members: list[Property | NavigationProperty] = [*t.properties, *t.navigation_properties]
    for member in members:
        if not member.name:
            _fail(f"a property of {_shown(t.qualified_name)} has no Name", member.location)
        owner = declared_on_path.get(member.name)
        if owner == t.qualified_name:
            _fail(f"{t.name}.{member.name} is declared more than once", member.location)
        if owner is not None:
            _fail(f"{t.name}.{member.name} is already declared by base type {_shown(owner)}", member.location)
        declared_on_path[member.name] = t.qualified_name
        added.append(member.name)
    # The path holds the type's members and its base types': each becomes a field of the generated class
    # (attrs builds a class in time quadratic in its fields) and a parameter of the entity set's patch().
    if len(declared_on_path) > MAX_MEMBERS_PER_TYPE:
        _fail(
            f"type {_shown(t.qualified_name)} has more than the limit of {MAX_MEMBERS_PER_TYPE} properties and "
            "navigation properties, counting its base types' (MAX_MEMBERS_PER_TYPE)",
            t.location,
        )
    return added


def _lineage(t: StructuredType, structured: dict[str, StructuredType]) -> Iterator[StructuredType]:
    """The type and its base types (at most MAX_INHERITANCE_DEPTH, checked before)."""
    current: StructuredType | None = t
    while current is not None:
        yield current
        current = structured.get(current.base_type) if current.base_type else None


def _check_keys(document: Document, structured: dict[str, StructuredType]) -> None:
    """Each key part is a primitive or enum property, reached through complex properties only by a path with an alias."""
    enums = {t.qualified_name for t in document.enum_types()}
    typedefs = {t.qualified_name for t in document.type_definitions()}
    for t in structured.values():
        if not t.key:
            continue
        if t.kind != "entity":
            _fail(f"complex type {_shown(t.qualified_name)} declares a key; only entity types have keys", t.location)
        aliases = dict(t.key_aliases)
        names_in_urls: set[str] = set()
        for ref in t.key:
            what = f"the key of {t.kind} type {_shown(t.qualified_name)}"
            target = _key_property(t, ref, structured, what)
            if target.type.collection or not (
                target.type.name.startswith("Edm.") or target.type.name in enums or target.type.name in typedefs
            ):
                _fail(
                    f"{what} names {_shown(ref)}, of type {_shown(str(target.type))}; a key is primitive or an enum",
                    t.location,
                )
            alias = aliases.get(ref)
            if "/" in ref and not alias:
                _fail(
                    f"{what} names the path {_shown(ref)} without an Alias, which a key through a complex property needs",
                    t.location,
                )
            shown = alias or ref
            if shown in names_in_urls:
                _fail(f"{what} names {_shown(shown)} twice", t.location)
            names_in_urls.add(shown)


def _key_property(t: StructuredType, ref: str, structured: dict[str, StructuredType], what: str) -> Property:
    """The property a key path names: the first segment on the type, the rest on complex types."""
    owner = t
    segments = ref.split("/")
    for index, segment in enumerate(segments):
        found = next((p for o in _lineage(owner, structured) for p in o.properties if p.name == segment), None)
        if found is None:
            _fail(f"{what} names {_shown(ref)}, which is not one of its properties", t.location)
        if index == len(segments) - 1:
            return found
        complex_type = structured.get(found.type.name)
        if complex_type is None or complex_type.kind != "complex" or found.type.collection:
            _fail(
                f"{what} names {_shown(ref)}, but {_shown(segment)} is not a single-valued complex property", t.location
            )
        owner = complex_type
    _fail(f"{what} has an empty property path", t.location)


def _check_imports(container: EntityContainer, operations: list[Operation], sets: set[str]) -> None:
    """Action and function imports name an unbound action or function, and an entity set that exists."""
    unbound = {(o.kind, o.qualified_name) for o in operations if not o.bound}
    for item in container.operation_imports:
        where = item.location or Location("", None)
        if (item.kind, item.operation) not in unbound:
            _fail(
                f"{item.kind} import {_shown(item.name)} refers to {_shown(item.operation)}, which is not an unbound {item.kind} "
                "of this document",
                where,
            )
        if item.entity_set is not None and item.entity_set.rpartition("/")[2] not in sets:
            _fail(
                f"{item.kind} import {_shown(item.name)} refers to unknown entity set {_shown(item.entity_set)}", where
            )


def _fail(message: str, where: Location) -> NoReturn:
    raise MetadataError(message, path=where.path or None, line=where.line)
