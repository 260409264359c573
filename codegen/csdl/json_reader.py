"""CSDL JSON (OData 4.01 `$metadata?$format=application/json`) -> the model parser.py builds from CSDL XML.

The same service in either form gives the same generated code. Each JSON member is checked for the kind
of value CSDL JSON gives it, and the finished model goes through the checks the XML reader runs
(references, identifiers). JSON has no line numbers worth quoting, so errors and warnings name a JSONPath to
the element instead: `service.json:$.Ns.Person.Emails: ...`, `$['Dotted.Ns']` for a name with dots.

`$Reference` is resolved as the XML reader resolves edmx:Reference (references.py: the bundled vocabularies,
or files the spec names, CSDL XML or JSON), and deviations are warnings as in XML (json_lenient.py, and the
annotation term and target checks), which `--strict` makes errors.

Defaults are CSDL JSON's own, which differ from XML's: an absent `$Nullable` means false, an absent
`$Type` Edm.String.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from ..errors import MetadataError
from . import annotations as vocab
from .annotation_checks import checker_for
from .identifiers import check_identifiers, shown
from .json_lenient import JsonLeniency, annotation_places, child, is_name_keyword
from .json_load import kind_of, load_json, looks_like_json
from .limits import MAX_ANNOTATION_ITEMS, MAX_FACET_VALUE
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
from .parser import read_document
from .references import LoadedFile, Reference, resolve_references, used_schemas
from .validate import check_references
from .warning_log import WarningLog

# The rules parser.py applies to XML, for the same document in JSON.
_RESERVED_NAMESPACES = frozenset({"Edm", "odata", "System", "Transient"})
_ENUM_RANGES = {
    "Edm.Byte": (0, 2**8 - 1),
    "Edm.SByte": (-(2**7), 2**7 - 1),
    "Edm.Int16": (-(2**15), 2**15 - 1),
    "Edm.Int32": (-(2**31), 2**31 - 1),
    "Edm.Int64": (-(2**63), 2**63 - 1),
}
_DIGITS = re.compile(r"[0-9]{1,10}")
_VERSIONS = ("4.0", "4.01")
_SCHEMA_KINDS = ("EntityType", "ComplexType", "EnumType", "TypeDefinition", "EntityContainer", "Term")


def parse_json_metadata(path: Path, references: Mapping[str, Path] | None = None) -> Document:
    """Parse a CSDL JSON $metadata file; raises MetadataError on anything we cannot trust.

    `references` maps `$Reference` URIs to local files, as for XML; tolerated deviations become warnings.
    """
    log = WarningLog()
    reader, main, root = read_json_file(path, log)
    library = resolve_references(main, lambda file: _referenced(file, log), references or {}, log)
    checker = checker_for(str(path), reader.qualify, main, library, log)
    for kind, text, at in annotation_places(root):
        check = checker.check_term if kind == "term" else checker.check_target
        check(text, reader.lenient.where(at), None)
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


def read_json_file(path: Path, log: WarningLog) -> tuple[_Reader, LoadedFile, dict[str, Any]]:
    """One CSDL JSON document, the main one or a referenced one: its reader, what it holds, its JSON."""
    root = load_json(path, log)
    version = root.get("$Version")
    if version not in _VERSIONS:
        shown_version = shown(version) if isinstance(version, str) else kind_of(version)
        raise MetadataError(f"unsupported CSDL JSON $Version {shown_version}; expected 4.0 or 4.01", path=str(path))
    schemas = {key: value for key, value in root.items() if not key.startswith("$")}
    if not schemas:
        raise MetadataError("CSDL JSON document declares no schema", path=str(path))
    reader = _Reader(path, root, schemas, log, version)
    built = tuple(reader.schema(namespace, body) for namespace, body in schemas.items())
    return reader, LoadedFile(str(path), built, frozenset(reader.terms), tuple(reader.references)), root


def _referenced(path: Path, log: WarningLog) -> LoadedFile:
    """A referenced document, told apart by content as the main one is: the bundled vocabularies are XML."""
    return read_json_file(path, log)[1] if looks_like_json(path) else read_document(path, log)


def _term(key: str) -> str | None:
    """The term of an annotation key `@Term`, or None when it is qualified (`@Term#Q`) or annotates one."""
    term = key[1:]
    return None if "#" in term or "@" in term else term


class _Reader:
    def __init__(self, path: Path, root: dict[str, Any], schemas: dict[str, Any], log: WarningLog, version: str):
        self.path = str(path)
        self.version = version
        self.lenient = JsonLeniency(self.path, log)
        self.terms: set[str] = set()
        self.references: list[Reference] = []
        self.aliases: dict[str, str] = {}
        self.lenient.keywords(root, "Document", "$")
        includes = self._includes(root)
        self.referenced_namespaces = {namespace for namespace, _, _ in includes}
        self._read_aliases(includes, schemas)
        # Read before any element, so that each is built complete, as the XML reader does.
        self.external = self._external_annotations(schemas)

    def _read_aliases(self, includes: list[tuple[str, str | None, str]], schemas: dict[str, Any]) -> None:
        declared = list(includes)
        for namespace, body in schemas.items():
            at = child("$", namespace)
            self._check_namespace(namespace, at)
            declared.append((namespace, self._string(self._object(body, at, "a schema"), "$Alias", at), at))
        namespaces = {namespace for namespace, _, _ in declared}
        for namespace, alias, at in declared:
            self._add_alias(namespace, alias, namespaces, at)

    def _external_annotations(self, schemas: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """`"$Annotations": {"Ns.Type/Property": {"@Term": value}}` of every schema, by qualified target."""
        external: dict[str, dict[str, Any]] = {}
        for namespace, body in schemas.items():
            at = child(child("$", namespace), "$Annotations")
            targets = self._object(body.get("$Annotations", {}), at, "an object of annotation targets")
            for target, annotations in targets.items():
                target_at = child(at, target)
                found = self.annotations(self._object(annotations, target_at, "an object of annotations"), target_at)
                external.setdefault(self.qualify_target(target), {}).update(found)
        return external

    # -- checked access ------------------------------------------------------

    def fail(self, at: str, message: str) -> NoReturn:
        raise MetadataError(message, path=f"{self.path}:{at}")

    def location(self, at: str) -> Location:
        return Location(f"{self.path}:{at}", None)

    def _object(self, value: Any, at: str, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(at, f"expected {what}, found {kind_of(value)}")
        return value

    def _array(self, value: Any, at: str, what: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(at, f"expected {what}, found {kind_of(value)}")
        return value

    def _string(self, body: dict[str, Any], key: str, at: str, default: str | None = None) -> str | None:
        value = body.get(key, default)
        if value is not None and not isinstance(value, str):
            self.fail(child(at, key), f"expected a string, found {kind_of(value)}")
        if value is not None and is_name_keyword(key):
            return self.lenient.name(value, key, child(at, key))
        return value

    def members(self, body: dict[str, Any], at: str) -> list[tuple[str, Any]]:
        """The named children of an element: not `$` keywords, not annotations (`@Term`, `Name@Term`); names
        with surrounding spaces are trimmed, with a warning, as XML's Name attributes are."""
        found: dict[str, Any] = {}
        for key, value in body.items():
            if key.startswith("$") or "@" in key:
                continue
            name = self.lenient.name(key, "name", child(at, key))
            if name in found:
                self.fail(child(at, key), f"{shown(name)} is declared twice (once with surrounding spaces)")
            found[name] = value
        return list(found.items())

    def _required_string(self, body: dict[str, Any], key: str, at: str) -> str:
        value = self._string(body, key, at)
        if value is None:
            self.fail(at, f"has no {key}")
        return value

    def _bool(self, body: dict[str, Any], key: str, at: str, default: bool = False) -> bool:
        value = body.get(key, default)
        if not isinstance(value, bool):
            self.fail(child(at, key), f"expected true or false, found {kind_of(value)}")
        return value

    def facet(self, body: dict[str, Any], key: str, at: str, keywords: tuple[str, ...] = ()) -> int | str | None:
        """A facet's value: a whole number up to MAX_FACET_VALUE, or one of `keywords` (lower case), as in XML."""
        value = body.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_FACET_VALUE:
            return value
        if isinstance(value, str):
            if value.lower() in keywords:
                self.lenient.keyword_value(key, value, keywords, child(at, key))
                return value.lower()
            if _DIGITS.fullmatch(value) and int(value) <= MAX_FACET_VALUE:
                return int(value)
        expected = " or ".join((f"a whole number from 0 to {MAX_FACET_VALUE}", *map(repr, keywords)))
        found = shown(value) if isinstance(value, str) else str(value) if isinstance(value, int) else kind_of(value)
        self.fail(child(at, key), f"{key} is {found}; expected {expected}")

    def facets(self, body: dict[str, Any], at: str) -> tuple[int | None, int | None, str | None, str | None]:
        """MaxLength (None for "max"), Precision, Scale and SRID, each checked."""
        max_length = self.facet(body, "$MaxLength", at, ("max",))
        precision = self.facet(body, "$Precision", at)
        scale = self.facet(body, "$Scale", at, ("variable", "floating"))
        srid = self.facet(body, "$SRID", at, ("variable",))
        return (
            max_length if isinstance(max_length, int) else None,
            precision if isinstance(precision, int) else None,
            None if scale is None else str(scale),
            None if srid is None else str(srid),
        )

    # -- names ---------------------------------------------------------------

    def _includes(self, root: dict[str, Any]) -> list[tuple[str, str | None, str]]:
        """(namespace, alias, where) of each `$Include` of each `$Reference`."""
        found = []
        at = "$.$Reference"
        for uri, reference in self._object(root.get("$Reference", {}), at, "an object of references").items():
            reference_at = child(at, uri)
            body = self._object(reference, reference_at, "a reference object")
            self.lenient.keywords(body, "Reference", reference_at)
            include_at = child(reference_at, "$Include")
            namespaces = []
            for index, include in enumerate(self._array(body.get("$Include", []), include_at, "an array of includes")):
                item_at = child(include_at, index)
                item = self._object(include, item_at, "an include object")
                self.lenient.keywords(item, "Include", item_at)
                namespace = self._required_string(item, "$Namespace", item_at)
                self._check_namespace(namespace, item_at)
                namespaces.append(namespace)
                found.append((namespace, self._string(item, "$Alias", item_at), item_at))
            self.references.append(Reference(uri, tuple(namespaces), self.lenient.where(reference_at), None))
        return found

    def _check_namespace(self, namespace: str, at: str) -> None:
        if not namespace:
            self.fail(at, "a schema without a namespace")
        if namespace in _RESERVED_NAMESPACES:
            self.fail(at, f"namespace {shown(namespace)} is reserved by OData and cannot be declared")

    def _add_alias(self, namespace: str, alias: str | None, namespaces: set[str], at: str) -> None:
        """Aliases are unique and never another namespace's name: either would silently redirect type names."""
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
            self.fail(at, f"alias {shown(alias)} of namespace {shown(namespace)} {problem}")
        self.aliases[alias] = namespace

    def qualify(self, name: str) -> str:
        """Replace a leading alias with its namespace: `Core.Description` -> `Org.OData.Core.V1.Description`."""
        namespace, _, local = name.rpartition(".")
        return f"{self.aliases.get(namespace, namespace)}.{local}" if namespace else name

    def qualify_target(self, target: str) -> str:
        head, slash, rest = target.partition("/")
        return self.qualify(head) + slash + rest

    def type_ref(self, body: dict[str, Any], at: str, default: str | None = "Edm.String") -> TypeRef:
        name = self._string(body, "$Type", at, default)
        if name is None:
            self.fail(at, "has no $Type")
        return TypeRef(self.qualify(name), collection=self._bool(body, "$Collection", at))

    # -- annotations ---------------------------------------------------------

    def annotations(self, body: dict[str, Any], at: str) -> dict[str, Any]:
        """The unqualified annotations on an element (`"@Core.Description": ...`), keyed by qualified term."""
        found: dict[str, Any] = {}
        for key, value in body.items():
            term = _term(key) if key.startswith("@") else None
            if term is not None:
                found[self.qualify(term)] = self.value(value, child(at, key))
        return found

    def with_external(self, body: dict[str, Any], at: str, target: str) -> dict[str, Any]:
        inline = self.annotations(body, at)
        external = self.external.get(target)
        return {**inline, **external} if external else inline

    def value(self, value: Any, at: str) -> Any:
        """An annotation value as annotations.py reads it from XML: records dicts, collections lists.

        Paths (`{"$Path": "A/B"}`) become their text, other dynamic expressions None: the generator
        uses none of them.
        """
        if isinstance(value, list):
            if len(value) > MAX_ANNOTATION_ITEMS:
                self.fail(
                    at,
                    f"an annotation collection has more than the limit of {MAX_ANNOTATION_ITEMS} items "
                    "(MAX_ANNOTATION_ITEMS)",
                )
            return [self.value(item, child(at, index)) for index, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        if any(key.startswith("$") for key in value):
            path = value.get("$Path")
            return path if isinstance(path, str) and len(value) == 1 else None
        record: dict[str, Any] = {}
        for key, item in value.items():
            if key.startswith("@"):
                # The XML reader keys a record's annotations by term alone, qualifier or not.
                term = key[1:].partition("#")[0]
                if term != "type" and "@" not in term:
                    record["@" + self.qualify(term)] = self.value(item, child(at, key))
            elif "@" not in key:
                record[key] = self.value(item, child(at, key))
        return record

    # -- schema elements -----------------------------------------------------

    def schema(self, namespace: str, body: dict[str, Any]) -> Schema:
        at = child("$", namespace)
        parts: dict[str, list[Any]] = {kind: [] for kind in _SCHEMA_KINDS}
        operations: list[Operation] = []
        self.lenient.keywords(body, "Schema", at)
        for name, element in self.members(body, at):
            element_at = child(at, name)
            if isinstance(element, list):
                operations.extend(self.operations(element, namespace, name, element_at))
                continue
            kind = self._required_string(
                self._object(element, element_at, "an object or an array"), "$Kind", element_at
            )
            if kind not in _SCHEMA_KINDS:
                self.fail(element_at, f"unknown $Kind {shown(kind)}; expected one of {', '.join(_SCHEMA_KINDS)}")
            if kind == "Term":
                self.terms.add(f"{namespace}.{name}")  # for the annotation checks; nothing is generated from it
                continue
            parts[kind].append(self._schema_element(kind, element, namespace, name, element_at))
        return Schema(
            namespace=namespace,
            alias=self._string(body, "$Alias", at),
            entity_types=tuple(parts["EntityType"]),
            complex_types=tuple(parts["ComplexType"]),
            enum_types=tuple(parts["EnumType"]),
            type_definitions=tuple(parts["TypeDefinition"]),
            operations=tuple(operations),
            containers=tuple(parts["EntityContainer"]),
        )

    def _schema_element(self, kind: str, body: dict[str, Any], namespace: str, name: str, at: str) -> Any:
        if kind == "EntityType":
            return self.structured_type(body, namespace, name, "entity", at)
        if kind == "ComplexType":
            return self.structured_type(body, namespace, name, "complex", at)
        if kind == "EnumType":
            return self.enum_type(body, namespace, name, at)
        if kind == "TypeDefinition":
            return self.type_definition(body, namespace, name, at)
        return self.container(body, namespace, name, at)

    def structured_type(self, body: dict[str, Any], namespace: str, name: str, kind: str, at: str) -> StructuredType:
        qualified = f"{namespace}.{name}"
        key, key_aliases = self.key(body, at)
        base = self._string(body, "$BaseType", at)
        self.lenient.keywords(body, "EntityType" if kind == "entity" else "ComplexType", at)
        properties, navigation = [], []
        for member, element in self.members(body, at):
            member_at = child(at, member)
            member_body = self._object(element, member_at, "a property object")
            member_kind = self._string(member_body, "$Kind", member_at, "Property")
            if member_kind in ("Property", "NavigationProperty"):
                self.lenient.keywords(member_body, member_kind, member_at)
            if member_kind == "Property":
                properties.append(self.property(member_body, member, qualified, member_at))
            elif member_kind == "NavigationProperty":
                navigation.append(self.navigation_property(member_body, member, qualified, member_at))
            else:
                self.fail(
                    member_at, f"unknown $Kind {shown(str(member_kind))}; expected Property or NavigationProperty"
                )
        return StructuredType(
            kind=kind,
            namespace=namespace,
            name=name,
            location=self.location(at),
            base_type=self.qualify(base) if base else None,
            abstract=self._bool(body, "$Abstract", at),
            open_type=self._bool(body, "$OpenType", at),
            has_stream=self._bool(body, "$HasStream", at),
            key=key,
            key_aliases=key_aliases,
            properties=tuple(properties),
            navigation_properties=tuple(navigation),
            doc=vocab.documentation(self.with_external(body, at, qualified)),
        )

    def key(self, body: dict[str, Any], at: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """`"$Key": ["ID", {"Alias": "Info/ID"}]` -> the key paths, and (path, alias) of the aliased ones."""
        key_at = child(at, "$Key")
        paths: list[str] = []
        aliases: list[tuple[str, str]] = []
        for index, item in enumerate(self._array(body.get("$Key", []), key_at, "an array of key properties")):
            if isinstance(item, str):
                paths.append(item)
                continue
            pair = self._object(item, child(key_at, index), "a property name or an {alias: path} object")
            if len(pair) != 1 or not isinstance(next(iter(pair.values())), str):
                self.fail(child(key_at, index), "expected one member, an alias naming the path of a key property")
            alias, path = next(iter(pair.items()))
            paths.append(path)
            aliases.append((path, alias))
        return tuple(paths), tuple(aliases)

    def property(self, body: dict[str, Any], name: str, owner: str, at: str) -> Property:
        max_length, precision, scale, srid = self.facets(body, at)
        type_ref = self.type_ref(body, at)
        if scale is None and type_ref.name == "Edm.Decimal":
            scale = "variable"  # CSDL JSON's default for an absent $Scale (XML's is 0: codegen/diff/build.py)
        return Property(
            name=name,
            type=type_ref,
            nullable=self._bool(body, "$Nullable", at),
            location=self.location(at),
            max_length=max_length,
            precision=precision,
            scale=scale,
            srid=srid,
            default=self.default_value(body, at),
            doc=vocab.documentation(self.with_external(body, at, f"{owner}/{name}")),
        )

    def default_value(self, body: dict[str, Any], at: str) -> str | None:
        """`$DefaultValue` in the text form the XML attribute has (numbers are kept as text by json_load)."""
        value = body.get("$DefaultValue")
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        self.fail(child(at, "$DefaultValue"), f"expected a primitive value, found {kind_of(value)}")

    def navigation_property(self, body: dict[str, Any], name: str, owner: str, at: str) -> NavigationProperty:
        ref = self.type_ref(body, at, default=None)
        constraints_at = child(at, "$ReferentialConstraint")
        constraints = self._object(body.get("$ReferentialConstraint", {}), constraints_at, "an object of constraints")
        pairs = []
        for dependent, principal in self.members(constraints, constraints_at):
            if not isinstance(principal, str):
                self.fail(child(constraints_at, dependent), f"expected a property path, found {kind_of(principal)}")
            pairs.append(ReferentialConstraint(dependent, principal))
        return NavigationProperty(
            name=name,
            type=ref,
            # CSDL forbids Nullable on a collection, where it means nothing; the XML reader reads it as true.
            nullable=self._bool(body, "$Nullable", at, default=ref.collection),
            location=self.location(at),
            partner=self._string(body, "$Partner", at),
            contains_target=self._bool(body, "$ContainsTarget", at),
            constraints=tuple(pairs),
            doc=vocab.documentation(self.with_external(body, at, f"{owner}/{name}")),
        )

    def enum_type(self, body: dict[str, Any], namespace: str, name: str, at: str) -> EnumType:
        underlying = self.qualify(self._string(body, "$UnderlyingType", at, "Edm.Int32") or "")
        low, high = _ENUM_RANGES.get(underlying, _ENUM_RANGES["Edm.Int64"])
        member_annotations: dict[str, dict[str, Any]] = {}
        for key, value in body.items():
            member, _, term = key.partition("@")
            if member and not member.startswith("$") and term and "#" not in term and "@" not in term:
                member_annotations.setdefault(member, {})[self.qualify(term)] = self.value(value, child(at, key))
        self.lenient.keywords(body, "EnumType", at)
        members = []
        for member, value in self.members(body, at):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                found = (
                    f"the value {value}" if isinstance(value, int) and not isinstance(value, bool) else kind_of(value)
                )
                self.fail(
                    child(at, member),
                    f"enum member {shown(member)} has {found}; expected a whole number from {low} to {high} ({underlying})",
                )
            members.append(EnumMember(member, value, vocab.documentation(member_annotations.get(member, {}))))
        if not members:
            self.lenient.log.add(
                f"enum type {shown(f'{namespace}.{name}')} has no members; the CSDL schema requires at least one",
                self.lenient.where(at),
                None,
            )
        return EnumType(
            namespace=namespace,
            name=name,
            location=self.location(at),
            underlying_type=underlying,
            is_flags=self._bool(body, "$IsFlags", at),
            members=tuple(members),
            doc=vocab.documentation(self.with_external(body, at, f"{namespace}.{name}")),
        )

    def type_definition(self, body: dict[str, Any], namespace: str, name: str, at: str) -> TypeDefinition:
        self.lenient.keywords(body, "TypeDefinition", at)
        return TypeDefinition(
            namespace=namespace,
            name=name,
            underlying_type=self.qualify(self._required_string(body, "$UnderlyingType", at)),
            location=self.location(at),
            max_length=self.facets(body, at)[0],
            doc=vocab.documentation(self.with_external(body, at, f"{namespace}.{name}")),
        )

    def operations(self, overloads: list[Any], namespace: str, name: str, at: str) -> list[Operation]:
        """`"Op": [overload, ...]`: the overloads of one action or function, each an Operation as in XML."""
        found = []
        for index, overload in enumerate(overloads):
            overload_at = child(at, index)
            body = self._object(overload, overload_at, "an action or function object")
            kind = self._required_string(body, "$Kind", overload_at)
            if kind not in ("Action", "Function"):
                self.fail(
                    overload_at, f"unknown $Kind {shown(kind)} in an operation array; expected Action or Function"
                )
            self.lenient.keywords(body, kind, overload_at)
            found.append(self.operation(body, kind.lower(), namespace, name, overload_at))
        return found

    def operation(self, body: dict[str, Any], kind: str, namespace: str, name: str, at: str) -> Operation:
        parameters_at = child(at, "$Parameter")
        parameters = []
        for index, item in enumerate(self._array(body.get("$Parameter", []), parameters_at, "an array of parameters")):
            item_at = child(parameters_at, index)
            parameter = self._object(item, item_at, "a parameter object")
            self.lenient.keywords(parameter, "Parameter", item_at)
            parameters.append(
                Parameter(
                    self._required_string(parameter, "$Name", item_at),
                    self.type_ref(parameter, item_at),
                    self._bool(parameter, "$Nullable", item_at),
                )
            )
        returns = body.get("$ReturnType")
        returns_at = child(at, "$ReturnType")
        if returns is not None:
            self.lenient.keywords(self._object(returns, returns_at, "a return type object"), "ReturnType", returns_at)
        return Operation(
            kind=kind,
            namespace=namespace,
            name=name,
            location=self.location(at),
            bound=self._bool(body, "$IsBound", at),
            composable=self._bool(body, "$IsComposable", at),
            parameters=tuple(parameters),
            return_type=self.type_ref(returns, returns_at) if returns is not None else None,
            return_nullable=returns is None or self._bool(returns, "$Nullable", returns_at),
            doc=vocab.documentation(self.annotations(body, at)),
        )

    def container(self, body: dict[str, Any], namespace: str, name: str, at: str) -> EntityContainer:
        qualified = f"{namespace}.{name}"
        sets, singletons, imports = [], [], []
        self.lenient.keywords(body, "EntityContainer", at)
        for member, element in self.members(body, at):
            member_at = child(at, member)
            item = self._object(element, member_at, "an entity set, singleton or import object")
            self.lenient.keywords(item, _container_kind(item), member_at)
            if "$Collection" in item:
                if item["$Collection"] is not True:
                    self.fail(child(member_at, "$Collection"), "expected true, which only entity sets have")
                sets.append(self.entity_set(item, member, qualified, member_at))
            elif "$Action" in item or "$Function" in item:
                imports.append(self.operation_import(item, member, member_at))
            elif "$Type" in item:
                singleton_type = self.qualify(self._required_string(item, "$Type", member_at))
                found = self.with_external(item, member_at, f"{qualified}/{member}")
                singletons.append(
                    Singleton(member, singleton_type, self.location(member_at), vocab.documentation(found))
                )
            else:
                self.fail(member_at, "is neither an entity set, a singleton, an action import nor a function import")
        return EntityContainer(namespace, name, tuple(sets), tuple(singletons), tuple(imports))

    def operation_import(self, body: dict[str, Any], name: str, at: str) -> OperationImport:
        kind = "action" if "$Action" in body else "function"
        operation = self._required_string(body, "$Action" if kind == "action" else "$Function", at)
        return OperationImport(
            kind, name, self.qualify(operation), self._string(body, "$EntitySet", at), self.location(at)
        )

    def entity_set(self, body: dict[str, Any], name: str, container: str, at: str) -> EntitySet:
        found = self.with_external(body, at, f"{container}/{name}")
        bindings_at = child(at, "$NavigationPropertyBinding")
        bindings = self._object(body.get("$NavigationPropertyBinding", {}), bindings_at, "an object of bindings")
        for path, target in bindings.items():
            if not isinstance(target, str):
                self.fail(child(bindings_at, path), f"expected an entity set path, found {kind_of(target)}")
        return EntitySet(
            name=name,
            entity_type=self.qualify(self._required_string(body, "$Type", at)),
            location=self.location(at),
            navigation_bindings=tuple(bindings.items()),
            insertable=vocab.restriction(found, "InsertRestrictions", "Insertable"),
            updatable=vocab.restriction(found, "UpdateRestrictions", "Updatable"),
            deletable=vocab.restriction(found, "DeleteRestrictions", "Deletable"),
            non_updatable_properties=vocab.non_updatable_properties(found),
            concurrency_properties=vocab.concurrency_properties(found),
            doc=vocab.documentation(found),
        )


def _container_kind(item: dict[str, Any]) -> str:
    """What a container member is, by the keyword that tells (as `container` tells them apart)."""
    if "$Collection" in item:
        return "EntitySet"
    if "$Action" in item:
        return "ActionImport"
    return "FunctionImport" if "$Function" in item else "Singleton"
