"""Reference checks: every type a document names must exist, so errors point at the CSDL, not at our output."""

from __future__ import annotations

from ..errors import MetadataError
from .edm import PRIMITIVE_TYPES
from .model import Document, Location, StructuredType, TypeRef


def check_references(document: Document) -> None:
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
                require(parameter.type, operation.location, f"parameter {parameter.name!r} of {operation.qualified_name!r}")
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
        if base is None or base.kind != t.kind:
            _fail(f"{t.kind} type {t.qualified_name!r} has unknown base type {t.base_type!r}", t.location)
        _check_no_cycle(t, structured)
    for p in t.properties:
        require(p.type, p.location, f"property {t.name}.{p.name}")
    for n in t.navigation_properties:
        require(n.type, n.location, f"navigation property {t.name}.{n.name}", entities)


def _check_no_cycle(t: StructuredType, structured: dict[str, StructuredType]) -> None:
    seen = {t.qualified_name}
    current = t
    while current.base_type is not None:
        if current.base_type in seen:
            _fail(f"type {t.qualified_name!r} inherits from itself", t.location)
        seen.add(current.base_type)
        current = structured[current.base_type]


def _fail(message: str, where: Location) -> None:
    raise MetadataError(message, path=where.path, line=where.line)
