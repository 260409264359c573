"""The CSDL intermediate model: an immutable, faithful picture of a $metadata document.

Type references are kept fully qualified with the namespace (aliases already
replaced), so later stages never need to know about aliases. Vocabulary
annotations are reduced to the handful of terms the generator acts on.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import MAX_MESSAGE_LENGTH

EDM = "Edm"


@attrs.frozen
class Location:
    """Where something was declared, for error messages."""

    path: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@attrs.frozen
class MetadataWarning:
    """A deviation from the CSDL specification that codegen tolerates: reported, never fatal unless --strict."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        """`file:line: message` on one line, cut like error messages (names in it come from the document)."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        message = self.message.replace("\r", " ").replace("\n", " ")
        if len(message) > MAX_MESSAGE_LENGTH:
            message = message[: MAX_MESSAGE_LENGTH - 3] + "..."
        return f"{where}: {message}"


@attrs.frozen
class TypeRef:
    """A (possibly collection-valued) reference to a type by qualified name."""

    name: str
    collection: bool = False

    @property
    def is_primitive(self) -> bool:
        return self.name.startswith("Edm.")

    def __str__(self) -> str:
        return f"Collection({self.name})" if self.collection else self.name


@attrs.frozen
class AllowedValue:
    value: Any
    description: str | None = None


@attrs.frozen
class Deprecation:
    """A `Core.Revisions` entry of Kind `Deprecated`: why (Description) and since when (Version)."""

    description: str | None = None
    version: str | None = None


@attrs.frozen
class Documentation:
    """The vocabulary annotations the generator understands on one element."""

    description: str | None = None
    long_description: str | None = None
    computed: bool = False
    immutable: bool = False
    allowed_values: tuple[AllowedValue, ...] = ()
    deprecated: Deprecation | None = None

    def merged(self, other: Documentation) -> Documentation:
        """Combine inline annotations with ones from an external Annotations block."""
        return Documentation(
            description=other.description or self.description,
            long_description=other.long_description or self.long_description,
            computed=self.computed or other.computed,
            immutable=self.immutable or other.immutable,
            allowed_values=other.allowed_values or self.allowed_values,
            deprecated=other.deprecated or self.deprecated,
        )


@attrs.frozen
class Property:
    name: str
    type: TypeRef
    nullable: bool
    location: Location
    max_length: int | None = None
    precision: int | None = None
    scale: str | None = None
    srid: str | None = None
    default: str | None = None
    doc: Documentation = Documentation()


@attrs.frozen
class ReferentialConstraint:
    property: str
    referenced_property: str


@attrs.frozen
class NavigationProperty:
    name: str
    type: TypeRef
    nullable: bool
    location: Location
    partner: str | None = None
    contains_target: bool = False
    constraints: tuple[ReferentialConstraint, ...] = ()
    doc: Documentation = Documentation()


@attrs.frozen
class StructuredType:
    """An EntityType or ComplexType."""

    kind: str  # "entity" or "complex"
    namespace: str
    name: str
    location: Location
    base_type: str | None = None
    abstract: bool = False
    open_type: bool = False
    has_stream: bool = False
    key: tuple[str, ...] = ()  # property paths: `ID`, or `Info/ID` through a complex property
    key_aliases: tuple[tuple[str, str], ...] = ()  # (path, Alias), the name a path key has in URLs
    properties: tuple[Property, ...] = ()
    navigation_properties: tuple[NavigationProperty, ...] = ()
    doc: Documentation = Documentation()

    @property
    def qualified_name(self) -> str:
        return f"{self.namespace}.{self.name}"


@attrs.frozen
class EnumMember:
    name: str
    value: int
    doc: Documentation = Documentation()


@attrs.frozen
class EnumType:
    namespace: str
    name: str
    location: Location
    underlying_type: str = "Edm.Int32"
    is_flags: bool = False
    members: tuple[EnumMember, ...] = ()
    doc: Documentation = Documentation()

    @property
    def qualified_name(self) -> str:
        return f"{self.namespace}.{self.name}"


@attrs.frozen
class TypeDefinition:
    namespace: str
    name: str
    underlying_type: str
    location: Location
    max_length: int | None = None
    doc: Documentation = Documentation()

    @property
    def qualified_name(self) -> str:
        return f"{self.namespace}.{self.name}"


@attrs.frozen
class Parameter:
    name: str
    type: TypeRef
    nullable: bool


@attrs.frozen
class Operation:
    """An Action or Function."""

    kind: str  # "action" or "function"
    namespace: str
    name: str
    location: Location
    bound: bool = False
    composable: bool = False
    parameters: tuple[Parameter, ...] = ()
    return_type: TypeRef | None = None
    return_nullable: bool = True
    doc: Documentation = Documentation()

    @property
    def qualified_name(self) -> str:
        return f"{self.namespace}.{self.name}"


@attrs.frozen
class EntitySet:
    name: str
    entity_type: str
    location: Location
    navigation_bindings: tuple[tuple[str, str], ...] = ()
    insertable: bool = True
    updatable: bool = True
    deletable: bool = True
    non_updatable_properties: tuple[str, ...] = ()
    concurrency_properties: tuple[str, ...] = ()
    doc: Documentation = Documentation()


@attrs.frozen
class Singleton:
    name: str
    type: str
    location: Location
    doc: Documentation = Documentation()


@attrs.frozen
class OperationImport:
    kind: str  # "action" or "function"
    name: str
    operation: str
    entity_set: str | None = None
    location: Location | None = None


@attrs.frozen
class EntityContainer:
    namespace: str
    name: str
    entity_sets: tuple[EntitySet, ...] = ()
    singletons: tuple[Singleton, ...] = ()
    operation_imports: tuple[OperationImport, ...] = ()


@attrs.frozen
class Schema:
    namespace: str
    alias: str | None
    entity_types: tuple[StructuredType, ...] = ()
    complex_types: tuple[StructuredType, ...] = ()
    enum_types: tuple[EnumType, ...] = ()
    type_definitions: tuple[TypeDefinition, ...] = ()
    operations: tuple[Operation, ...] = ()
    containers: tuple[EntityContainer, ...] = ()


@attrs.frozen
class Document:
    """A parsed $metadata document."""

    path: str
    version: str
    schemas: tuple[Schema, ...]
    referenced_namespaces: frozenset[str] = frozenset()
    warnings: tuple[MetadataWarning, ...] = ()
    # (namespace, Uri) of each edmx:Include that no bundled vocabulary or spec-named file resolves.
    unresolved_references: tuple[tuple[str, str], ...] = ()

    def structured_types(self) -> list[StructuredType]:
        return [t for s in self.schemas for t in (*s.entity_types, *s.complex_types)]

    def enum_types(self) -> list[EnumType]:
        return [t for s in self.schemas for t in s.enum_types]

    def type_definitions(self) -> list[TypeDefinition]:
        return [t for s in self.schemas for t in s.type_definitions]

    def containers(self) -> list[EntityContainer]:
        return [c for s in self.schemas for c in s.containers]


def lineage(structured: dict[str, StructuredType], name: str) -> list[StructuredType]:
    """The type `name` and its base types, the type first (validated documents: no cycle, depth bounded)."""
    chain = []
    current: StructuredType | None = structured[name]
    while current is not None:
        chain.append(current)
        current = structured.get(current.base_type) if current.base_type else None
    return chain
