"""CSDL XML -> the immutable model in `codegen.csdl.model`.

One pass over the tree: aliases and out-of-line `Annotations` blocks are read
first so every element can be built complete, then references are checked so
that a bad type name fails here, with its file and line, not during rendering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import MetadataError
from . import annotations as vocab
from . import lenient
from .annotation_checks import checker_for
from .limits import MAX_FACET_VALUE
from .model import (
    Document,
    EntityContainer,
    EntitySet,
    EnumMember,
    EnumType,
    Location,
    NavigationProperty,
    Operation,
    OperationImport,
    Parameter,
    Property,
    ReferentialConstraint,
    Schema,
    Singleton,
    StructuredType,
    TypeDefinition,
    TypeRef,
)
from .identifiers import check_identifiers
from .references import LoadedFile, references_of, resolve_references, used_schemas
from .validate import check_references
from .warning_log import WarningLog
from .xml import EDM_V4, EDMX_V4, check_edmx_root, read_xml

# Facets and enum values are ASCII digits (str.isdigit() and int() also take "²" and "١٢"), and bounded.
_DIGITS = re.compile(r"[0-9]{1,10}")
_SIGNED_DIGITS = re.compile(r"-?[0-9]{1,20}")
# The range of each enum underlying type (CSDL section 10.1).
_ENUM_RANGES = {
    "Edm.Byte": (0, 2**8 - 1),
    "Edm.SByte": (-(2**7), 2**7 - 1),
    "Edm.Int16": (-(2**15), 2**15 - 1),
    "Edm.Int32": (-(2**31), 2**31 - 1),
    "Edm.Int64": (-(2**63), 2**63 - 1),
}


_RESERVED_NAMESPACES = frozenset({"Edm", "odata", "System", "Transient"})


def _shown(text: str, limit: int = 60) -> str:
    """`text` quoted for an error message, cut short: a hostile value must not flood the terminal."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _describe(element: etree._Element) -> str:
    name = element.get("Name")
    local = etree.QName(element).localname
    return f"<{local} Name={_shown(name)}>" if name is not None else f"<{local}>"


def _tag(name: str) -> str:
    return f"{{{EDM_V4}}}{name}"


_T = {
    name: _tag(name)
    for name in (
        "Schema EntityType ComplexType EnumType TypeDefinition Action Function EntityContainer Property "
        "NavigationProperty Key PropertyRef ReferentialConstraint Member Parameter ReturnType EntitySet "
        "Singleton ActionImport FunctionImport NavigationPropertyBinding Annotations Term"
    ).split()
}


def parse_metadata(path: Path, references: Mapping[str, Path] | None = None) -> Document:
    """Parse a $metadata file; raises MetadataError on anything we cannot trust.

    `references` maps edmx:Reference Uris to local files (the spec's `[metadata] references`); the bundled
    OASIS vocabularies need no entry. Tolerated deviations become the document's warnings.
    """
    log = WarningLog()
    reader, root, main = _read_file(path, log)
    library = resolve_references(main, lambda file: read_document(file, log), references or {}, log)
    checker_for(str(path), reader.qualify, main, library, log).check(root)
    document = Document(
        path=str(path),
        version=reader.version,
        schemas=main.schemas + used_schemas(main.schemas, library),
        referenced_namespaces=frozenset(reader.referenced_namespaces),
        warnings=log.warnings(),
        unresolved_references=tuple(sorted(library.unresolved.items())),
    )
    check_references(document)
    check_identifiers(document)
    return document


def read_document(path: Path, log: WarningLog) -> LoadedFile:
    """What a referenced CSDL XML document contributes (the CSDL JSON reader's references use it too)."""
    return _read_file(path, log)[2]


def _read_file(path: Path, log: WarningLog) -> tuple[_Reader, etree._Element, LoadedFile]:
    """One CSDL document, the main one or a referenced one, read and normalised."""
    root = read_xml(path, log)
    version = check_edmx_root(root, path)
    lenient.normalise(root, str(path), log)
    services = root.find(f"{{{EDMX_V4}}}DataServices")
    if services is None:
        raise MetadataError("edmx:Edmx has no edmx:DataServices element", path=str(path), line=root.sourceline)
    schema_elements = services.findall(_T["Schema"])
    if not schema_elements:
        raise MetadataError("edmx:DataServices holds no edm:Schema", path=str(path), line=services.sourceline)
    reader = _Reader(path, root, schema_elements, log, version)
    schemas = tuple(reader.schema(element) for element in schema_elements)
    loaded = LoadedFile(str(path), schemas, frozenset(reader.terms), references_of(root, str(path)))
    return reader, root, loaded


class _Reader:
    def __init__(self, path: Path, root: etree._Element, schemas: list[etree._Element], log: WarningLog, version: str):
        self.path = str(path)
        self.log = log
        self.version = version
        self.terms: set[str] = set()
        self.aliases: dict[str, str] = {}
        includes = list(root.iter(f"{{{EDMX_V4}}}Include"))
        namespaces = {self._namespace(element) for element in [*includes, *schemas]}
        self.referenced_namespaces = {self._namespace(include) for include in includes}
        for element in [*includes, *schemas]:
            self._add_alias(element, namespaces)
        self._qualified: dict[str, str] = {}
        self.external: dict[str, dict[str, Any]] = {}
        for schema in schemas:
            for block in schema.iterchildren(_T["Annotations"]):
                if block.get("Qualifier") is None:
                    target = self.qualify_target(block.get("Target", ""))
                    self.external.setdefault(target, {}).update(self.read_annotations(block))

    def _namespace(self, element: etree._Element) -> str:
        namespace: str | None = element.get("Namespace")
        if not namespace:
            raise MetadataError(
                f"<{etree.QName(element).localname}> without a Namespace", path=self.path, line=element.sourceline
            )
        if namespace in _RESERVED_NAMESPACES:
            raise MetadataError(
                f"namespace {_shown(namespace)} is reserved by OData and cannot be declared",
                path=self.path,
                line=element.sourceline,
            )
        return namespace

    def _add_alias(self, element: etree._Element, namespaces: set[str]) -> None:
        """Aliases are unique and never another namespace's name: either would silently redirect type names."""
        namespace = self._namespace(element)
        alias = element.get("Alias")
        if not alias:
            return
        problem = None
        if alias in _RESERVED_NAMESPACES:
            problem = "is reserved by OData"
        elif alias in self.aliases:
            problem = f"is already the alias of {self.aliases[alias]!r}"
        elif alias in namespaces and alias != namespace:
            problem = "is the name of another namespace"
        if problem:
            raise MetadataError(
                f"alias {_shown(alias)} of namespace {_shown(namespace)} {problem}",
                path=self.path,
                line=element.sourceline,
            )
        self.aliases[alias] = namespace

    def read_annotations(self, element: etree._Element) -> dict[str, Any]:
        try:
            return vocab.read_annotations(element, self.qualify)
        except vocab.InvalidAnnotation as exc:
            raise MetadataError(exc.message, path=self.path, line=exc.line) from None

    def facet(self, element: etree._Element, name: str, keywords: tuple[str, ...] = ()) -> int | str | None:
        """A facet's value: an ASCII whole number up to MAX_FACET_VALUE, or one of `keywords` (lower case)."""
        text: str | None = element.get(name)
        if text is None:
            return None
        if text.lower() in keywords:
            return text.lower()
        if _DIGITS.fullmatch(text) and int(text) <= MAX_FACET_VALUE:
            return int(text)
        expected = " or ".join((f"a whole number from 0 to {MAX_FACET_VALUE}", *map(repr, keywords)))
        raise MetadataError(
            f"{_describe(element)} has {name}={_shown(text)}; expected {expected}",
            path=self.path,
            line=element.sourceline,
        )

    def facets(self, element: etree._Element) -> tuple[int | None, int | None, str | None, str | None]:
        """MaxLength (None for "max"), Precision, Scale and SRID, each checked."""
        max_length = self.facet(element, "MaxLength", ("max",))
        precision = self.facet(element, "Precision")
        scale = self.facet(element, "Scale", ("variable", "floating"))
        srid = self.facet(element, "SRID", ("variable",))
        return (
            max_length if isinstance(max_length, int) else None,
            precision if isinstance(precision, int) else None,
            None if scale is None else str(scale),
            None if srid is None else str(srid),
        )

    # -- names -------------------------------------------------------------

    def qualify(self, name: str) -> str:
        """Replace a leading alias with its namespace: `Core.Description` -> `Org.OData.Core.V1.Description`."""
        cached = self._qualified.get(name)
        if cached is None:
            namespace, _, local = name.rpartition(".")
            cached = f"{self.aliases.get(namespace, namespace)}.{local}" if namespace else name
            self._qualified[name] = cached
        return cached

    def qualify_target(self, target: str) -> str:
        head, slash, rest = target.partition("/")
        return self.qualify(head) + slash + rest

    def type_ref(self, text: str | None, element: etree._Element) -> TypeRef:
        if not text:
            raise MetadataError(
                f"<{etree.QName(element).localname} Name={element.get('Name')!r}> has no Type",
                path=self.path,
                line=element.sourceline,
            )
        if text.startswith("Collection(") and text.endswith(")"):
            return TypeRef(self.qualify(text[11:-1]), collection=True)
        return TypeRef(self.qualify(text))

    def location(self, element: etree._Element) -> Location:
        return Location(self.path, element.sourceline)

    def annotations(self, element: etree._Element, target: str) -> dict[str, Any]:
        inline = self.read_annotations(element)
        external = self.external.get(target)
        return {**inline, **external} if external else inline

    # -- schema elements ---------------------------------------------------

    def schema(self, element: etree._Element) -> Schema:
        namespace = element.get("Namespace", "")
        parts: dict[str, list[Any]] = {
            "entity": [],
            "complex": [],
            "enum": [],
            "typedef": [],
            "operation": [],
            "container": [],
        }
        for child in element:
            tag = child.tag
            if tag == _T["EntityType"]:
                parts["entity"].append(self.structured_type(child, namespace, "entity"))
            elif tag == _T["ComplexType"]:
                parts["complex"].append(self.structured_type(child, namespace, "complex"))
            elif tag == _T["EnumType"]:
                parts["enum"].append(self.enum_type(child, namespace))
            elif tag == _T["TypeDefinition"]:
                parts["typedef"].append(self.type_definition(child, namespace))
            elif tag == _T["Term"]:
                self.terms.add(f"{namespace}.{child.get('Name', '')}")
            elif tag in (_T["Action"], _T["Function"]):
                parts["operation"].append(self.operation(child, namespace))
            elif tag == _T["EntityContainer"]:
                parts["container"].append(self.container(child, namespace))
        return Schema(
            namespace=namespace,
            alias=element.get("Alias"),
            entity_types=tuple(parts["entity"]),
            complex_types=tuple(parts["complex"]),
            enum_types=tuple(parts["enum"]),
            type_definitions=tuple(parts["typedef"]),
            operations=tuple(parts["operation"]),
            containers=tuple(parts["container"]),
        )

    def structured_type(self, element: etree._Element, namespace: str, kind: str) -> StructuredType:
        name = element.get("Name", "")
        qualified = f"{namespace}.{name}"
        key = element.find(_T["Key"])
        refs = list(key.iterchildren(_T["PropertyRef"])) if key is not None else []
        base = element.get("BaseType")
        return StructuredType(
            kind=kind,
            namespace=namespace,
            name=name,
            location=self.location(element),
            base_type=self.qualify(base) if base else None,
            abstract=element.get("Abstract") == "true",
            open_type=element.get("OpenType") == "true",
            has_stream=element.get("HasStream") == "true",
            key=tuple(ref.get("Name", "") for ref in refs),
            key_aliases=tuple(
                (ref.get("Name", ""), ref.get("Alias", "")) for ref in refs if ref.get("Alias") is not None
            ),
            properties=tuple(self.property(child, qualified) for child in element.iterchildren(_T["Property"])),
            navigation_properties=tuple(
                self.navigation_property(child, qualified) for child in element.iterchildren(_T["NavigationProperty"])
            ),
            doc=vocab.documentation(self.annotations(element, qualified)),
        )

    def property(self, element: etree._Element, owner: str) -> Property:
        name = element.get("Name", "")
        max_length, precision, scale, srid = self.facets(element)
        return Property(
            name=name,
            type=self.type_ref(element.get("Type"), element),
            nullable=element.get("Nullable") != "false",
            location=self.location(element),
            max_length=max_length,
            precision=precision,
            scale=scale,
            srid=srid,
            default=element.get("DefaultValue"),
            doc=vocab.documentation(self.annotations(element, f"{owner}/{name}")),
        )

    def navigation_property(self, element: etree._Element, owner: str) -> NavigationProperty:
        name = element.get("Name", "")
        return NavigationProperty(
            name=name,
            type=self.type_ref(element.get("Type"), element),
            nullable=element.get("Nullable") != "false",
            location=self.location(element),
            partner=element.get("Partner"),
            contains_target=element.get("ContainsTarget") == "true",
            constraints=tuple(
                ReferentialConstraint(c.get("Property", ""), c.get("ReferencedProperty", ""))
                for c in element.iterchildren(_T["ReferentialConstraint"])
            ),
            doc=vocab.documentation(self.annotations(element, f"{owner}/{name}")),
        )

    def enum_type(self, element: etree._Element, namespace: str) -> EnumType:
        name = element.get("Name", "")
        underlying = self.qualify(element.get("UnderlyingType", "Edm.Int32"))
        low, high = _ENUM_RANGES.get(underlying, _ENUM_RANGES["Edm.Int64"])
        members = []
        for index, member in enumerate(element.iterchildren(_T["Member"])):
            value = member.get("Value")
            if value is not None and not (_SIGNED_DIGITS.fullmatch(value) and low <= int(value) <= high):
                raise MetadataError(
                    f"enum member {_shown(member.get('Name', ''))} has Value={_shown(value)}; "
                    f"expected a whole number from {low} to {high} ({underlying})",
                    path=self.path,
                    line=member.sourceline,
                )
            members.append(
                EnumMember(
                    name=member.get("Name", ""),
                    value=int(value) if value is not None else index,
                    doc=vocab.documentation(self.read_annotations(member)),
                )
            )
        if not members:
            self.log.add(
                f"enum type {_shown(f'{namespace}.{name}')} has no members; the CSDL schema requires at least one",
                self.path,
                element.sourceline,
            )
        return EnumType(
            namespace=namespace,
            name=name,
            location=self.location(element),
            underlying_type=underlying,
            is_flags=element.get("IsFlags") == "true",
            members=tuple(members),
            doc=vocab.documentation(self.annotations(element, f"{namespace}.{name}")),
        )

    def type_definition(self, element: etree._Element, namespace: str) -> TypeDefinition:
        name = element.get("Name", "")
        max_length = self.facets(element)[0]
        underlying = self.type_ref(element.get("UnderlyingType"), element)
        if underlying.collection:
            raise MetadataError(
                f"type definition {_shown(name)} has a collection as underlying type; it must be a primitive type",
                path=self.path,
                line=element.sourceline,
            )
        return TypeDefinition(
            namespace=namespace,
            name=name,
            underlying_type=underlying.name,
            location=self.location(element),
            max_length=max_length,
            doc=vocab.documentation(self.annotations(element, f"{namespace}.{name}")),
        )

    def operation(self, element: etree._Element, namespace: str) -> Operation:
        returns = element.find(_T["ReturnType"])
        return Operation(
            kind="action" if element.tag == _T["Action"] else "function",
            namespace=namespace,
            name=element.get("Name", ""),
            location=self.location(element),
            bound=element.get("IsBound") == "true",
            composable=element.get("IsComposable") == "true",
            parameters=tuple(
                Parameter(p.get("Name", ""), self.type_ref(p.get("Type"), p), p.get("Nullable") != "false")
                for p in element.iterchildren(_T["Parameter"])
            ),
            return_type=self.type_ref(returns.get("Type"), returns) if returns is not None else None,
            return_nullable=returns is None or returns.get("Nullable") != "false",
            doc=vocab.documentation(self.read_annotations(element)),
        )

    def container(self, element: etree._Element, namespace: str) -> EntityContainer:
        name = element.get("Name", "")
        qualified = f"{namespace}.{name}"
        sets, singletons, imports = [], [], []
        for child in element:
            if child.tag == _T["EntitySet"]:
                sets.append(self.entity_set(child, qualified))
            elif child.tag == _T["Singleton"]:
                singleton = child.get("Name", "")
                singletons.append(
                    Singleton(
                        singleton,
                        self.qualify(child.get("Type", "")),
                        self.location(child),
                        vocab.documentation(self.annotations(child, f"{qualified}/{singleton}")),
                    )
                )
            elif child.tag in (_T["ActionImport"], _T["FunctionImport"]):
                kind = "action" if child.tag == _T["ActionImport"] else "function"
                operation = self.qualify(child.get("Action") or child.get("Function") or "")
                imports.append(
                    OperationImport(
                        kind, child.get("Name", ""), operation, child.get("EntitySet"), self.location(child)
                    )
                )
        return EntityContainer(namespace, name, tuple(sets), tuple(singletons), tuple(imports))

    def entity_set(self, element: etree._Element, container: str) -> EntitySet:
        name = element.get("Name", "")
        found = self.annotations(element, f"{container}/{name}")
        return EntitySet(
            name=name,
            entity_type=self.qualify(element.get("EntityType", "")),
            location=self.location(element),
            navigation_bindings=tuple(
                (b.get("Path", ""), b.get("Target", "")) for b in element.iterchildren(_T["NavigationPropertyBinding"])
            ),
            insertable=vocab.restriction(found, "InsertRestrictions", "Insertable"),
            updatable=vocab.restriction(found, "UpdateRestrictions", "Updatable"),
            deletable=vocab.restriction(found, "DeleteRestrictions", "Deletable"),
            non_updatable_properties=vocab.non_updatable_properties(found),
            concurrency_properties=vocab.concurrency_properties(found),
            doc=vocab.documentation(found),
        )
