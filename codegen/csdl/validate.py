"""Reference checks: every type a document names must exist, so errors point at the CSDL, not at our output.

Every check is linear in the size of the document: inheritance is walked once, from the roots down, so a
long chain of base types costs no more than the same number of unrelated types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn

from ..errors import MetadataError
from .edm import PRIMITIVE_TYPES
from .limits import MAX_INHERITANCE_DEPTH
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
    _check_unique_type_names(document)
    for enum in document.enum_types():
        if enum.underlying_type not in _ENUM_UNDERLYING_TYPES:
            _fail(
                f"enum type {enum.qualified_name!r} has underlying type {enum.underlying_type!r}; "
                f"expected one of {', '.join(_ENUM_UNDERLYING_TYPES)}",
                enum.location,
            )
    structured = {t.qualified_name: t for t in document.structured_types()}
    known = set(structured) | {t.qualified_name for t in document.enum_types()}
    known |= {t.qualified_name for t in document.type_definitions()}
    entities = {name for name, t in structured.items() if t.kind == "entity"}

    def require(ref: TypeRef | str, where: Location, what: str, allowed: set[str] = known) -> None:
        name = ref.name if isinstance(ref, TypeRef) else ref
        if name.startswith("Edm."):
            if name not in PRIMITIVE_TYPES:
                _fail(f"{what} has unknown primitive type {name!r}", where)
            return
        if name not in allowed:
            namespace = name.rpartition(".")[0]
            hint = (
                f" (namespace {namespace!r} comes from an edmx:Reference, which is not loaded)"
                if namespace in document.referenced_namespaces
                else ""
            )
            kind = "entity type" if allowed is entities else "type"
            _fail(f"{what} refers to unknown {kind} {name!r}{hint}", where)

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
            require(parameter.type, operation.location, f"parameter {parameter.name!r} of {operation.qualified_name!r}")
        if operation.return_type is not None:
            require(operation.return_type, operation.location, f"return type of {operation.qualified_name!r}")
    sets = {s.name for c in document.containers() for s in c.entity_sets}
    for container in document.containers():
        for entity_set in container.entity_sets:
            require(entity_set.entity_type, entity_set.location, f"entity set {entity_set.name!r}", entities)
        for singleton in container.singletons:
            require(singleton.type, singleton.location, f"singleton {singleton.name!r}", entities)
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
            _fail(f"a type in namespace {t.namespace!r} has no Name", t.location)
        if t.qualified_name in seen:
            _fail(f"type {t.qualified_name!r} is defined more than once", t.location)
        seen.add(t.qualified_name)


def _check_type_definition(typedef: TypeDefinition) -> None:
    # CSDL 11: the underlying type is a primitive type, never another type definition (so no cycles either).
    if typedef.underlying_type not in PRIMITIVE_TYPES:
        _fail(
            f"type definition {typedef.qualified_name!r} has underlying type {typedef.underlying_type!r}, "
            "which is not a primitive Edm type",
            typedef.location,
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
                _fail(f"type {current.qualified_name!r} inherits from itself", current.location)
            chain.append(current)
            on_chain.add(current.qualified_name)
            current = _base_of(current, structured)
        level = depth[current.qualified_name] if current is not None else -1
        for t in reversed(chain):
            level += 1
            if level > MAX_INHERITANCE_DEPTH:
                _fail(
                    f"type {t.qualified_name!r} has more than the limit of {MAX_INHERITANCE_DEPTH} levels of base "
                    "types (MAX_INHERITANCE_DEPTH)",
                    t.location,
                )
            depth[t.qualified_name] = level


def _base_of(t: StructuredType, structured: dict[str, StructuredType]) -> StructuredType | None:
    if t.base_type is None:
        return None
    base = structured.get(t.base_type)
    if base is None:
        _fail(f"{t.kind} type {t.qualified_name!r} has unknown base type {t.base_type!r}", t.location)
    elif base.kind != t.kind:
        _fail(
            f"{t.kind} type {t.qualified_name!r} has base type {t.base_type!r}, which is a {base.kind} type", t.location
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
            _fail(f"a property of {t.qualified_name!r} has no Name", member.location)
        owner = declared_on_path.get(member.name)
        if owner == t.qualified_name:
            _fail(f"{t.name}.{member.name} is declared more than once", member.location)
        if owner is not None:
            _fail(f"{t.name}.{member.name} is already declared by base type {owner!r}", member.location)
        declared_on_path[member.name] = t.qualified_name
        added.append(member.name)
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
            _fail(f"complex type {t.qualified_name!r} declares a key; only entity types have keys", t.location)
        aliases = dict(t.key_aliases)
        names_in_urls: set[str] = set()
        for ref in t.key:
            what = f"the key of {t.kind} type {t.qualified_name!r}"
            target = _key_property(t, ref, structured, what)
            if target.type.collection or not (
                target.type.name.startswith("Edm.") or target.type.name in enums or target.type.name in typedefs
            ):
                _fail(f"{what} names {ref!r}, of type {str(target.type)!r}; a key is primitive or an enum", t.location)
            alias = aliases.get(ref)
            if "/" in ref and not alias:
                _fail(
                    f"{what} names the path {ref!r} without an Alias, which a key through a complex property needs",
                    t.location,
                )
            shown = alias or ref
            if shown in names_in_urls:
                _fail(f"{what} names {shown!r} twice", t.location)
            names_in_urls.add(shown)


def _key_property(t: StructuredType, ref: str, structured: dict[str, StructuredType], what: str) -> Property:
    """The property a key path names: the first segment on the type, the rest on complex types."""
    owner = t
    segments = ref.split("/")
    for index, segment in enumerate(segments):
        found = next((p for o in _lineage(owner, structured) for p in o.properties if p.name == segment), None)
        if found is None:
            _fail(f"{what} names {ref!r}, which is not one of its properties", t.location)
        if index == len(segments) - 1:
            return found
        complex_type = structured.get(found.type.name)
        if complex_type is None or complex_type.kind != "complex" or found.type.collection:
            _fail(f"{what} names {ref!r}, but {segment!r} is not a single-valued complex property", t.location)
        owner = complex_type
    _fail(f"{what} has an empty property path", t.location)


def _check_imports(container: EntityContainer, operations: list[Operation], sets: set[str]) -> None:
    """Action and function imports name an unbound action or function, and an entity set that exists."""
    unbound = {(o.kind, o.qualified_name) for o in operations if not o.bound}
    for item in container.operation_imports:
        where = item.location or Location("", None)
        if (item.kind, item.operation) not in unbound:
            _fail(
                f"{item.kind} import {item.name!r} refers to {item.operation!r}, which is not an unbound {item.kind} "
                "of this document",
                where,
            )
        if item.entity_set is not None and item.entity_set.rpartition("/")[2] not in sets:
            _fail(f"{item.kind} import {item.name!r} refers to unknown entity set {item.entity_set!r}", where)


def _fail(message: str, where: Location) -> NoReturn:
    raise MetadataError(message, path=where.path or None, line=where.line)
