"""Check every name taken from a $metadata document against the CSDL identifier rules.

Names from the document end up inside generated Python (class names, docstrings, string literals), so a
name carrying quotes or newlines could break out of them. CSDL already forbids such names: a
SimpleIdentifier starts with a letter or underscore and continues with letters, digits and a few Unicode
marks, at most 128 characters (OData CSDL XML, edm.xsd `TSimpleIdentifier`; ABNF `odataIdentifier`). A
Namespace is dotted SimpleIdentifiers, a QualifiedName is a Namespace followed by a SimpleIdentifier.
Refusing anything else here means later stages only ever see names that are safe to print.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..errors import MetadataError
from ..runtime.identifiers import is_identifier
from .model import Document, EntityContainer, Location, Operation, Schema, StructuredType, TypeRef

MAX_SHOWN = 60  # how much of a refused value the error message repeats

# One name to check: (what it is, its value, its rule, where it was declared)
_Check = tuple[str, str, str, Location | None]


def is_simple_identifier(value: str) -> bool:
    # The runtime's definition, so that every name generated code is given passes the runtime's checks.
    return is_identifier(value)


def is_lenient_property_name(value: str) -> bool:
    """A SimpleIdentifier that may also hold `-` after its first character.

    Real services break the rule this way (Microsoft Graph declares `request-id` and `client-request-id`);
    a hyphen cannot end a docstring or string literal, so tolerating it keeps those documents usable.
    """
    return is_simple_identifier(value[:1] + value[1:].replace("-", "_"))


def is_namespace(value: str) -> bool:
    return all(is_simple_identifier(part) for part in value.split("."))


def is_qualified_name(value: str) -> bool:
    namespace, dot, name = value.rpartition(".")
    return bool(dot) and is_namespace(namespace) and is_simple_identifier(name)


def is_path(value: str) -> bool:
    """A `/`-separated path whose segments are names or qualified type casts (`NS.Type/Nav`)."""
    return all(is_simple_identifier(part) or is_qualified_name(part) for part in value.split("/"))


_RULES = {
    "SimpleIdentifier": is_simple_identifier,
    "property name": is_lenient_property_name,
    "Namespace": is_namespace,
    "QualifiedName": is_qualified_name,
    "path": is_path,
}


def shown(value: str) -> str:
    """The refused value as a safe, one-line, bounded repr for the error message."""
    text = repr(value[:MAX_SHOWN])
    return text + "..." if len(value) > MAX_SHOWN else text


def check_identifiers(document: Document) -> None:
    """Raise MetadataError naming the first name in `document` that breaks the CSDL identifier rules."""
    for what, value, rule, location in _document_names(document):
        if not _RULES[rule](value):
            path = location.path if location else document.path
            line = location.line if location else _line_of(path, value)
            raise MetadataError(f"{what} {shown(value)} is not a valid CSDL {rule}", path=path, line=line)


def _line_of(path: str, value: str) -> int | None:
    """Best effort for elements the model keeps no line for (schemas, containers): the value's first line."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    escaped = quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    for needle in (escaped, escaped.replace('"', "'"), f'"{value}"'):
        found = text.find(needle)
        if found >= 0:
            return text.count("\n", 0, found) + 1
    return None


def _document_names(document: Document) -> Iterator[_Check]:
    for namespace in sorted(document.referenced_namespaces):
        yield "referenced namespace", namespace, "Namespace", None
    for schema in document.schemas:
        yield from _schema_names(schema)


def _schema_names(schema: Schema) -> Iterator[_Check]:
    yield "schema namespace", schema.namespace, "Namespace", None
    if schema.alias is not None:
        yield "schema alias", schema.alias, "SimpleIdentifier", None
    for structured in (*schema.entity_types, *schema.complex_types):
        yield from _structured_names(structured)
    for enum in schema.enum_types:
        yield "enum type name", enum.name, "SimpleIdentifier", enum.location
        yield from _type_name(f"underlying type of {enum.name}", enum.underlying_type, enum.location)
        for member in enum.members:
            yield f"member name of enum {enum.name}", member.name, "SimpleIdentifier", enum.location
    for definition in schema.type_definitions:
        yield "type definition name", definition.name, "SimpleIdentifier", definition.location
        yield from _type_name(f"underlying type of {definition.name}", definition.underlying_type, definition.location)
    for operation in schema.operations:
        yield from _operation_names(operation)
    for container in schema.containers:
        yield from _container_names(container)


def _structured_names(structured: StructuredType) -> Iterator[_Check]:
    where = structured.location
    yield f"{structured.kind} type name", structured.name, "SimpleIdentifier", where
    yield f"namespace of {structured.name}", structured.namespace, "Namespace", where
    if structured.base_type is not None:
        yield from _type_name(f"base type of {structured.name}", structured.base_type, where)
    for key in structured.key:
        yield f"key property of {structured.name}", key, "path", where
    for path, alias in structured.key_aliases:
        yield f"key alias of {structured.name}", alias, "SimpleIdentifier", where
    for prop in structured.properties:
        yield f"property name in {structured.name}", prop.name, "property name", prop.location
        yield from _type_ref(f"type of property {prop.name}", prop.type, prop.location)
    for nav in structured.navigation_properties:
        yield f"navigation property name in {structured.name}", nav.name, "SimpleIdentifier", nav.location
        yield from _type_ref(f"type of navigation property {nav.name}", nav.type, nav.location)
        if nav.partner is not None:
            yield f"partner of {nav.name}", nav.partner, "path", nav.location
        for constraint in nav.constraints:
            yield f"referential constraint of {nav.name}", constraint.property, "path", nav.location
            yield f"referential constraint of {nav.name}", constraint.referenced_property, "path", nav.location


def _operation_names(operation: Operation) -> Iterator[_Check]:
    where = operation.location
    yield f"{operation.kind} name", operation.name, "SimpleIdentifier", where
    for parameter in operation.parameters:
        yield f"parameter name of {operation.name}", parameter.name, "SimpleIdentifier", where
        yield from _type_ref(f"type of parameter {parameter.name}", parameter.type, where)
    if operation.return_type is not None:
        yield from _type_ref(f"return type of {operation.name}", operation.return_type, where)


def _container_names(container: EntityContainer) -> Iterator[_Check]:
    yield "entity container name", container.name, "SimpleIdentifier", None
    for entity_set in container.entity_sets:
        where = entity_set.location
        yield "entity set name", entity_set.name, "SimpleIdentifier", where
        yield from _type_name(f"entity type of set {entity_set.name}", entity_set.entity_type, where)
        for path, target in entity_set.navigation_bindings:
            yield f"navigation binding path of {entity_set.name}", path, "path", where
            yield f"navigation binding target of {entity_set.name}", target, "path", where
        for prop in (*entity_set.non_updatable_properties, *entity_set.concurrency_properties):
            yield f"property path annotated on {entity_set.name}", prop, "path", where
    for singleton in container.singletons:
        yield "singleton name", singleton.name, "SimpleIdentifier", singleton.location
        yield from _type_name(f"type of singleton {singleton.name}", singleton.type, singleton.location)
    for imported in container.operation_imports:
        at = imported.location
        yield f"{imported.kind} import name", imported.name, "SimpleIdentifier", at
        yield f"operation of import {imported.name}", imported.operation, "QualifiedName", at
        if imported.entity_set is not None:
            yield f"entity set of import {imported.name}", imported.entity_set, "path", at


def _type_ref(what: str, ref: TypeRef, where: Location | None) -> Iterator[_Check]:
    yield from _type_name(what, ref.name, where)


def _type_name(what: str, name: str, where: Location | None) -> Iterator[_Check]:
    yield what, name, "QualifiedName", where
