"""Reference checks: every type a document names must exist, so errors point at the CSDL, not at our output."""

from __future__ import annotations

from ..errors import MetadataError
from .edm import PRIMITIVE_TYPES
from .model import Document, EnumType, Location, NavigationProperty, Property, StructuredType, TypeDefinition, TypeRef

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

    for t in structured.values():
        _check_structured(t, structured, require, entities)
    for typedef in document.type_definitions():
        require(typedef.underlying_type, typedef.location, f"type definition {typedef.qualified_name!r}")
    for schema in document.schemas:
        for operation in schema.operations:
            for parameter in operation.parameters:
                require(
                    parameter.type, operation.location, f"parameter {parameter.name!r} of {operation.qualified_name!r}"
                )
            if operation.return_type is not None:
                require(operation.return_type, operation.location, f"return type of {operation.qualified_name!r}")
    for container in document.containers():
        for entity_set in container.entity_sets:
            require(entity_set.entity_type, entity_set.location, f"entity set {entity_set.name!r}", entities)
        for singleton in container.singletons:
            require(singleton.type, singleton.location, f"singleton {singleton.name!r}", entities)


def _check_structured(t: StructuredType, structured: dict[str, StructuredType], require, entities: set[str]) -> None:  # type: ignore[no-untyped-def]
    if t.base_type is not None:
        base = structured.get(t.base_type)
        if base is None:
            _fail(f"{t.kind} type {t.qualified_name!r} has unknown base type {t.base_type!r}", t.location)
        elif base.kind != t.kind:
            message = f"{t.kind} type {t.qualified_name!r} has base type {t.base_type!r}, which is a {base.kind} type"
            _fail(message, t.location)
        _check_no_cycle(t, structured)
    _check_members(t, structured)
    for p in t.properties:
        require(p.type, p.location, f"property {t.name}.{p.name}")
    for n in t.navigation_properties:
        require(n.type, n.location, f"navigation property {t.name}.{n.name}", entities)


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


def _check_members(t: StructuredType, structured: dict[str, StructuredType]) -> None:
    """No property is declared twice (here or in a base type), and every key property exists."""
    inherited: dict[str, str] = {}
    ancestor = structured.get(t.base_type) if t.base_type else None
    while ancestor is not None and ancestor.qualified_name != t.qualified_name:  # cycles are refused before this
        for name in [p.name for p in ancestor.properties] + [n.name for n in ancestor.navigation_properties]:
            inherited.setdefault(name, ancestor.qualified_name)
        ancestor = structured.get(ancestor.base_type) if ancestor.base_type else None
    declared: set[str] = set()
    members: list[Property | NavigationProperty] = [*t.properties, *t.navigation_properties]
    for member in members:
        if not member.name:
            _fail(f"a property of {t.qualified_name!r} has no Name", member.location)
        if member.name in declared:
            _fail(f"{t.name}.{member.name} is declared more than once", member.location)
        if member.name in inherited:
            message = f"{t.name}.{member.name} is already declared by base type {inherited[member.name]!r}"
            _fail(message, member.location)
        declared.add(member.name)
    for ref in t.key:
        if ref.split("/")[0] not in declared and ref.split("/")[0] not in inherited:
            message = f"the key of {t.kind} type {t.qualified_name!r} names {ref!r}, which is not one of its properties"
            _fail(message, t.location)


def _check_no_cycle(t: StructuredType, structured: dict[str, StructuredType]) -> None:
    seen = {t.qualified_name}
    current: StructuredType | None = t
    while current is not None and current.base_type is not None:
        if current.base_type in seen:
            _fail(f"type {t.qualified_name!r} inherits from itself", t.location)
        seen.add(current.base_type)
        current = structured.get(current.base_type)  # an unknown base further up is reported for its own type


def _fail(message: str, where: Location) -> None:
    raise MetadataError(message, path=where.path, line=where.line)
