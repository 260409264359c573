"""edmx:Reference resolved offline: the bundled OASIS vocabularies, or files the spec names; nothing is fetched.

A reference's Uri is never opened: a bundled vocabulary is chosen by the namespace an edmx:Include names, a
spec-named file by the exact Uri text. Every referenced document goes through the same secure reader as the
main one, each is read once (references may be circular: Core and Validation reference each other), and
together they are bounded like one document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import attrs
from lxml import etree

from ..errors import MetadataError
from .identifiers import shown
from .limits import MAX_DOCUMENT_BYTES
from .model import EnumType, NavigationProperty, Property, Schema, StructuredType, TypeDefinition, TypeRef
from .warning_log import WarningLog
from .xml import EDMX_V4

VOCABULARY_DIR = Path(__file__).parent / "vocabularies"
# Documents one run may read through references (the OASIS vocabularies are nine).
MAX_REFERENCED_DOCUMENTS = 64


@attrs.frozen
class Reference:
    uri: str
    namespaces: tuple[str, ...]
    path: str
    line: int | None


@attrs.frozen
class LoadedFile:
    """What a referenced document contributes: its schemas, its terms and its own references."""

    path: str
    schemas: tuple[Schema, ...]
    terms: frozenset[str]  # qualified term names
    references: tuple[Reference, ...]


def references_of(root: etree._Element, path: str) -> tuple[Reference, ...]:
    found = []
    for element in root.iterchildren(f"{{{EDMX_V4}}}Reference"):
        namespaces = tuple(i.get("Namespace", "") for i in element.iterchildren(f"{{{EDMX_V4}}}Include"))
        found.append(Reference(element.get("Uri", ""), namespaces, path, element.sourceline))
    return tuple(found)


def bundled_vocabularies() -> dict[str, Path]:
    """Namespace -> file of each OASIS vocabulary shipped with codegen (`Org.OData.Core.V1.xml`)."""
    return {file.stem: file for file in sorted(VOCABULARY_DIR.glob("Org.OData.*.V1.xml"))}


def resolve_references(
    main: LoadedFile, load: Callable[[Path], LoadedFile], spec_files: Mapping[str, Path], log: WarningLog
) -> Library:
    """The library of what `main`'s references bring in, loaded (`load` reads one referenced document)."""
    library = Library(load, spec_files, log)
    library.resolve(main.references, frozenset(s.namespace for s in main.schemas))
    return library


class Library:
    """The schemas that references bring in, by namespace, loaded on demand and each document once."""

    def __init__(self, load: Callable[[Path], LoadedFile], spec_files: Mapping[str, Path], log: WarningLog):
        self._load_file = load
        self._spec_files = spec_files
        self._bundled = bundled_vocabularies()
        self._log = log
        self._files: dict[Path, LoadedFile] = {}
        self._bytes = 0
        self.schemas: dict[str, Schema] = {}
        self.unresolved: dict[str, str] = {}  # namespace -> the Uri of the reference that names it
        self._terms: dict[str, frozenset[str] | None] = {}

    def resolve(self, references: tuple[Reference, ...], own_namespaces: frozenset[str]) -> None:
        """Load what `references` include, and what those documents reference in turn."""
        pending = [(reference, True) for reference in references]
        while pending:
            reference, direct = pending.pop(0)
            for namespace in reference.namespaces:
                if namespace in own_namespaces or namespace in self.schemas:
                    continue
                source = self._spec_files.get(reference.uri) or self._bundled.get(namespace)
                if source is None:
                    self._unresolved(reference, namespace, direct)
                    continue
                loaded = self._load(source, reference)
                self.schemas[namespace] = _schema_of(loaded, namespace, reference, source)
                pending.extend((nested, False) for nested in loaded.references)

    def terms_in(self, namespace: str) -> frozenset[str] | None:
        """The terms a namespace defines, or None when no document of it is at hand.

        A bundled vocabulary counts even without an edmx:Reference: Microsoft Graph and TripPin use Core and
        Capabilities terms without referencing them. Asked once per annotation, so answers are kept.
        """
        if namespace not in self._terms:
            self._terms[namespace] = self._find_terms(namespace)
        return self._terms[namespace]

    def _find_terms(self, namespace: str) -> frozenset[str] | None:
        source = self._bundled.get(namespace)
        files = list(self._files.values())
        if namespace not in self.schemas and source is not None and source.resolve() not in self._files:
            files.append(self._load(source, None))
        for loaded in files:
            if any(s.namespace == namespace for s in loaded.schemas):
                return frozenset(t for t in loaded.terms if t.rpartition(".")[0] == namespace)
        return None

    def loaded_schemas(self) -> Iterator[Schema]:
        for loaded in self._files.values():
            yield from loaded.schemas

    def _unresolved(self, reference: Reference, namespace: str, direct: bool) -> None:
        self.unresolved.setdefault(namespace, reference.uri)
        if direct:  # a vocabulary's own references matter only when one of their types is used
            self._log.add(
                f"edmx:Reference {shown(reference.uri)} (namespace {shown(namespace)}) is not resolved: it is not a "
                "bundled vocabulary and the spec's [metadata] references names no file for it; skipped, with "
                "the annotations that use it",
                reference.path,
                reference.line,
                key=f"reference:{reference.uri}",
            )

    def _load(self, source: Path, reference: Reference | None) -> LoadedFile:
        resolved = source.resolve()
        cached = self._files.get(resolved)
        if cached is not None:
            return cached

        def fail(message: str) -> NoReturn:
            raise MetadataError(
                message, path=reference.path if reference else None, line=reference.line if reference else None
            )

        if len(self._files) >= MAX_REFERENCED_DOCUMENTS:
            fail(f"references lead to more than {MAX_REFERENCED_DOCUMENTS} documents (MAX_REFERENCED_DOCUMENTS)")
        try:
            self._bytes += resolved.stat().st_size
        except OSError as exc:
            fail(f"cannot read referenced document {resolved}: {exc.strerror}")
        if self._bytes > MAX_DOCUMENT_BYTES:
            fail(
                f"referenced documents together are larger than the limit of {MAX_DOCUMENT_BYTES} bytes "
                f"(MAX_DOCUMENT_BYTES), reaching it at {resolved.name}"
            )
        loaded = self._load_file(resolved)
        self._files[resolved] = loaded
        return loaded


def _schema_of(loaded: LoadedFile, namespace: str, reference: Reference, source: Path) -> Schema:
    found = next((s for s in loaded.schemas if s.namespace == namespace), None)
    if found is None:
        raise MetadataError(
            f"edmx:Reference {shown(reference.uri)} includes namespace {shown(namespace)}, which {source.name} "
            "does not define",
            path=reference.path,
            line=reference.line,
        )
    return found


def used_schemas(own: tuple[Schema, ...], library: Library) -> tuple[Schema, ...]:
    """The referenced types the document's own types and operations need, transitively, by schema.

    Only those are generated: a package whose document merely references Capabilities for its annotations
    must not gain its hundred record types.
    """
    available = {t.qualified_name: t for s in library.schemas.values() for t in _types(s)}
    kept: set[str] = set()
    pending = [name for s in own for name in _names_used(s) if name in available]
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        kept.add(name)
        found = available[name]
        if isinstance(found, StructuredType):
            pending.extend(n for n in _structured_names(found) if n in available and n not in kept)
    return tuple(
        Schema(
            namespace=s.namespace,
            alias=s.alias,
            entity_types=tuple(t for t in s.entity_types if t.qualified_name in kept),
            complex_types=tuple(t for t in s.complex_types if t.qualified_name in kept),
            enum_types=tuple(t for t in s.enum_types if t.qualified_name in kept),
            type_definitions=tuple(t for t in s.type_definitions if t.qualified_name in kept),
        )
        for s in library.schemas.values()
        if any(t.qualified_name in kept for t in _types(s))
    )


def _types(schema: Schema) -> Iterator[StructuredType | EnumType | TypeDefinition]:
    yield from schema.entity_types
    yield from schema.complex_types
    yield from schema.enum_types
    yield from schema.type_definitions


def _structured_names(t: StructuredType) -> Iterator[str]:
    if t.base_type:
        yield t.base_type
    members: list[Property | NavigationProperty] = [*t.properties, *t.navigation_properties]
    yield from (member.type.name for member in members)


def _names_used(schema: Schema) -> Iterator[str]:
    for t in (*schema.entity_types, *schema.complex_types):
        yield from _structured_names(t)
    for typedef in schema.type_definitions:
        yield typedef.underlying_type
    for operation in schema.operations:
        refs: list[TypeRef] = [p.type for p in operation.parameters]
        if operation.return_type is not None:
            refs.append(operation.return_type)
        yield from (ref.name for ref in refs)
    for container in schema.containers:
        yield from (s.entity_type for s in container.entity_sets)
        yield from (s.type for s in container.singletons)
