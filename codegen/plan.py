"""From the CSDL model to a plan of the Python package: names, modules, annotations.

Everything the templates print is decided here, so templates stay free of
logic and every naming rule is tested in one place.
"""

from __future__ import annotations


import attrs

from . import naming, plan_deprecation
from .csdl.model import Document, EnumMember, EnumType, NavigationProperty, Property, StructuredType, TypeRef
from .errors import SpecError
from .layout import Argument, Call, python_literal
from .plan_project import ProjectPlan
from .plan_service import ServicePlan, build_service_plan
from .runtime.public import REEXPORTS
from .spec import Spec

_PRIMITIVES: dict[str, str] = {
    "Edm.String": "str",
    "Edm.Boolean": "bool",
    "Edm.Byte": "int",
    "Edm.SByte": "int",
    "Edm.Int16": "int",
    "Edm.Int32": "int",
    "Edm.Int64": "int",
    "Edm.Decimal": "_decimal.Decimal",
    "Edm.Double": "float",
    "Edm.Single": "float",
    "Edm.Guid": "_uuid.UUID",
    "Edm.Date": "_dt.date",
    "Edm.DateTimeOffset": "_dt.datetime",
    "Edm.TimeOfDay": "_dt.time",
    "Edm.Duration": "_dt.timedelta",
    "Edm.Binary": "bytes",
    "Edm.AnnotationPath": "str",
    "Edm.AnyPropertyPath": "str",
    "Edm.ModelElementPath": "str",
    "Edm.NavigationPropertyPath": "str",
    "Edm.PropertyPath": "str",
}
_GEO = "dict[str, _t.Any]"  # GeoJSON, kept as received
# Edm type -> the typed query expression of a path of that type (codegen.runtime.query.expressions).
_QUERY_EXPRESSIONS: dict[str, str] = {
    "Edm.String": "StringExpr",
    "Edm.Boolean": "BoolExpr",
    "Edm.Byte": "IntExpr",
    "Edm.SByte": "IntExpr",
    "Edm.Int16": "IntExpr",
    "Edm.Int32": "IntExpr",
    "Edm.Int64": "IntExpr",
    "Edm.Decimal": "DecimalExpr",
    "Edm.Double": "FloatExpr",
    "Edm.Single": "FloatExpr",
    "Edm.Guid": "GuidExpr",
    "Edm.Date": "DateExpr",
    "Edm.DateTimeOffset": "DateTimeExpr",
    "Edm.TimeOfDay": "TimeExpr",
    "Edm.Duration": "DurationExpr",
    "Edm.Binary": "BinaryExpr",
}
# Edm types whose Python type allows values the Edm type does not; the reader range-checks them.
_RANGE_CHECKED = frozenset({"Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32", "Edm.Single"})
_MODULE_ALIASES = {"_decimal": "decimal", "_uuid": "uuid", "_dt": "datetime"}


@attrs.frozen
class FieldPlan:
    attribute: str
    wire_name: str
    annotation: str
    default: str | None  # "None", "list" (an empty-list factory), or None for a required field
    doc: str | None
    query: QueryPathPlan
    navigation: bool = False
    type_name: str | None = None  # the qualified OData type of a structural property
    # The primitive Edm type the reader must check ranges of (Int32 and Int64 are both `int` in Python).
    edm_type: str | None = None
    deprecated: str | None = None  # the warning, when the property is deprecated
    # A deprecated property's attribute is a descriptor (of this class) over a private attrs field, for the
    # model and for the query type: see codegen/runtime/deprecation.py.
    descriptor: str | None = None
    query_descriptor: str | None = None

    @property
    def storage(self) -> str:
        """The attrs field's name: the attribute, or for a deprecated property the private field under it."""
        return self.attribute if self.deprecated is None else naming.private_name(self.attribute)


def _field_by_wire(fields: list[FieldPlan], base: ClassPlan | None, wire_name: str) -> FieldPlan:
    """The field of a class or of one of its bases with this wire name."""
    found = next((f for f in fields if f.wire_name == wire_name), None)
    while found is None and base is not None:
        found = next((f for f in base.fields if f.wire_name == wire_name), None)
        base = base.base
    if found is None:
        raise AssertionError(f"no property {wire_name!r}: validate.py checks key paths")
    return found


@attrs.frozen
class QueryPathPlan:
    """The descriptor of a field on the query type: `annotation = callee(arguments)` in Python source."""

    callee: str
    arguments: tuple[Argument, ...]
    annotation: str | None = None
    returns: str = "_q.UntypedExpr"  # what reading the path gives: `_q.IntExpr`, `QProspect`, ...


@attrs.frozen
class ClassPlan:
    name: str
    module: str
    qualified_name: str
    kind: str
    doc: str | None
    base: ClassPlan | None
    fields: tuple[FieldPlan, ...]
    abstract: bool
    open_type: bool
    key: tuple[str, ...]  # attribute names; `info.id` for a key through a complex property
    odata_key: tuple[str, ...]  # the same as attrs field names (`_id` for a deprecated `id`): __odata_key__
    type_checking_imports: tuple[tuple[str, str], ...]  # (module, class) needed only by type checkers
    runtime_imports: tuple[tuple[str, str], ...]  # (module, enum class) the query type uses
    stdlib_imports: tuple[tuple[str, str], ...]  # (module, alias)
    query_name: str  # the typed query class, e.g. QLead
    # (attribute path, Alias) of each key part through a complex property: `("info.id", "InfoID")`.
    key_aliases: tuple[tuple[str, str], ...] = ()
    deprecated: str | None = None  # the warning, when the type is deprecated

    @property
    def deprecated_fields(self) -> list[FieldPlan]:
        return [f for f in self.fields if f.deprecated is not None]

    @property
    def module_imports(self) -> list[tuple[str, str]]:
        """(module, name) imported at run time: the base classes, and enums the query type checks values of."""
        found = set(self.runtime_imports)
        if self.base is not None:
            found |= {(self.base.module, self.base.name), (self.base.module, self.base.query_name)}
        return sorted(found)

    @property
    def lazy_imports(self) -> list[tuple[str, str]]:
        """(module, name) imported for type checkers only, which keeps imports lazy and free of cycles."""
        return sorted(set(self.type_checking_imports) - set(self.module_imports))


@attrs.frozen
class EnumMemberPlan:
    name: str
    wire_name: str
    value: int
    doc: str | None


@attrs.frozen
class EnumPlan:
    name: str
    module: str
    qualified_name: str
    flags: bool
    members: tuple[EnumMemberPlan, ...]
    doc: str | None


@attrs.frozen
class PackagePlan:
    name: str
    source: str  # the metadata file name, for docstrings (never a machine path)
    classes: tuple[ClassPlan, ...]
    enums: tuple[EnumPlan, ...]
    type_index: tuple[tuple[str, str], ...]  # (qualified or alias-qualified OData name, export)
    service: ServicePlan
    project: ProjectPlan | None  # None: the package alone, without pyproject.toml

    @property
    def has_deprecations(self) -> bool:
        """Whether anything generated is deprecated: its modules then keep mypy from reporting their own uses."""
        service = self.service
        return any(c.deprecated or c.deprecated_fields for c in self.classes) or service.has_deprecations

    @property
    def exports(self) -> list[tuple[str, str]]:
        """(module within the package, name) of every public class, sorted by name."""
        found = [(c.module, c.name) for c in self.classes] + [(e.module, e.name) for e in self.enums]
        found += [(c.module, c.query_name) for c in self.classes]
        modules = [(f".models.{module}", name) for module, name in found]
        modules += [(f".client.{module}", name) for name, module in self.service.class_index]
        clients = [(".client", self.service.client_name), (".client", self.service.async_client_name)]
        return sorted(modules + clients, key=lambda item: item[1])

    @property
    def runtime_exports(self) -> list[tuple[str, str]]:
        """(runtime module, name) of the runtime names the package re-exports: those its own names leave free.

        Kept out of `__all__`, which lists the schema's names (and what `import *` brings).
        """
        taken = {name for _, name in self.exports}
        return sorted((module, name) for name, module in REEXPORTS.items() if name not in taken)

    @property
    def client_exports(self) -> list[str]:
        """Public names of the client package, sorted: the clients, entity sets, singletons, items, collections."""
        classes = [name for name, _ in self.service.class_index]
        return sorted([self.service.client_name, self.service.async_client_name, *classes])


def build_plan(document: Document, spec: Spec, project: ProjectPlan | None = None) -> PackagePlan:
    return _Planner(document, spec, project).plan()


class _Planner:
    def __init__(self, document: Document, spec: Spec, project: ProjectPlan | None):
        self.document = document
        self.spec = spec
        self.project = project
        self.structured = {t.qualified_name: t for t in document.structured_types()}
        self.enums = {t.qualified_name: t for t in document.enum_types()}
        self.typedefs = {t.qualified_name: t for t in document.type_definitions()}
        self.class_names = self._assign_class_names()
        self.query_names = self._assign_query_names()
        modules = naming.NameAllocator(fold_case=True)
        self.modules = {
            q: modules.allocate(naming.module_name(n)) for q, n in sorted(self.class_names.items(), key=lambda i: i[1])
        }
        self.renames = dict(spec.renames)
        self._classes: dict[str, ClassPlan] = {}
        self._depth_cache: dict[str, int] | None = None

    def plan(self) -> PackagePlan:
        # Base types first, so building a class never recurses far: `_class` of a long chain otherwise
        # recursed once per level.
        for qualified in sorted(self.structured, key=lambda q: (self._depths()[q], q)):
            self._class(qualified)
        unused = sorted(set(self.renames) - self._used_renames())
        if unused:
            raise SpecError(
                f"[naming] renames target {unused[0]!r}, which the metadata does not define",
                path=str(self.spec.source) if self.spec.source else None,
            )
        classes = tuple(sorted(self._classes.values(), key=lambda c: c.name))
        enums = tuple(sorted((self._enum(e) for e in self.enums.values()), key=lambda e: e.name))
        exports = {c.name: c.module for c in classes} | {c.query_name: c.module for c in classes}
        exports |= {e.name: e.module for e in enums}
        service = build_service_plan(self.document, self.spec, self._classes, self._parameter_annotation, exports)
        return PackagePlan(
            name=self.spec.package,
            source=self.spec.metadata.name,
            classes=classes,
            enums=enums,
            type_index=self._type_index(),
            service=service,
            project=self.project,
        )

    def _depths(self) -> dict[str, int]:
        """How many base types each structured type has (cycles were refused by validate.py); linear time."""
        if self._depth_cache is None:
            depths: dict[str, int] = {}
            for start in self.structured:
                chain: list[str] = []
                current: str | None = start
                while current is not None and current not in depths:
                    chain.append(current)
                    current = self.structured[current].base_type
                level = depths[current] if current is not None else -1
                for qualified in reversed(chain):
                    level += 1
                    depths[qualified] = level
            self._depth_cache = depths
        return self._depth_cache

    def _parameter_annotation(self, ref: TypeRef, nullable: bool) -> str:
        annotation = self._annotation(ref, item_nullable=nullable)
        return f"{annotation} | None" if nullable and not ref.collection else annotation

    # -- names -------------------------------------------------------------

    def _assign_class_names(self) -> dict[str, str]:
        """Unique class names: renames first, then a clash across namespaces gets the namespace's last part."""
        types: list[StructuredType | EnumType] = [*self.structured.values(), *self.enums.values()]
        # Shallow namespaces first: the main namespace keeps the plain names.
        types.sort(key=lambda t: (t.namespace.count("."), t.namespace, t.name))
        defaults = frozenset(naming.class_name(t.name) for t in types if t.qualified_name not in self.spec.renames)
        names = self._explicit_names({t.qualified_name for t in types}, defaults, fold_case=True)
        allocator = naming.NameAllocator(set(names.values()), fold_case=True, separator="")
        for t in types:
            if t.qualified_name not in names:
                preferred = naming.class_name(t.name)
                if allocator.is_taken(preferred):
                    preferred = naming.class_name(t.namespace.rpartition(".")[2]) + preferred
                names[t.qualified_name] = allocator.allocate(preferred)
        return names

    def _assign_query_names(self) -> dict[str, str]:
        """`QLead` for `Lead`, after every class name is settled (a real type called QLead keeps its name)."""
        allocator = naming.NameAllocator(set(self.class_names.values()), fold_case=True, separator="")
        return {q: allocator.allocate(f"Q{self.class_names[q]}") for q in sorted(self.structured)}

    def _explicit_names(self, targets: set[str], taken: frozenset[str], *, fold_case: bool = False) -> dict[str, str]:
        """The spec's renames of `targets`; two renames to one name, or to a taken name, are errors."""
        chosen: dict[str, str] = {}
        seen = {n.lower() if fold_case else n for n in taken}
        for target in sorted(targets & set(self.spec.renames)):
            name = self.spec.renames[target]
            key = name.lower() if fold_case else name
            if key in seen:
                raise SpecError(
                    f"[naming] renames {target!r} to {name!r}, which another name already uses",
                    path=str(self.spec.source) if self.spec.source else None,
                )
            seen.add(key)
            chosen[target] = name
        return chosen

    def _used_renames(self) -> set[str]:
        used = {q for q in self.renames if q in self.class_names}
        for t in self.structured.values():
            names = [p.name for p in t.properties] + [n.name for n in t.navigation_properties]
            used |= {f"{t.qualified_name}/{name}" for name in names} & set(self.renames)
        return used

    # -- types -------------------------------------------------------------

    def _class(self, qualified: str) -> ClassPlan:
        if qualified in self._classes:
            return self._classes[qualified]
        t = self.structured[qualified]
        base = self._class(t.base_type) if t.base_type else None
        taken = set(naming.RESERVED_ATTRIBUTES)
        ancestor = base
        while ancestor is not None:
            taken |= {f.attribute for f in ancestor.fields}
            ancestor = ancestor.base
        members = [p.name for p in t.properties] + [n.name for n in t.navigation_properties]
        targets = {f"{qualified}/{m}": m for m in members}
        defaults = {naming.attribute_name(m) for target, m in targets.items() if target not in self.spec.renames}
        explicit = self._explicit_names(set(targets), frozenset(taken | defaults))
        attributes = naming.NameAllocator(taken | set(explicit.values()))
        chosen = {m: explicit.get(f"{qualified}/{m}") or attributes.allocate(naming.attribute_name(m)) for m in members}
        fields = [self._property(p, chosen[p.name]) for p in t.properties]
        fields += [self._navigation(n, chosen[n.name]) for n in t.navigation_properties]
        fields = [self._deprecated_field(f, t, qualified) for f in fields]
        key, odata_key, key_aliases = self._key(t, fields, base)
        plan = ClassPlan(
            name=self.class_names[qualified],
            module=self.modules[qualified],
            qualified_name=qualified,
            kind=t.kind,
            doc=t.doc.description,
            base=base,
            fields=tuple(fields),
            abstract=t.abstract,
            open_type=t.open_type,
            key=key,
            odata_key=odata_key,
            type_checking_imports=self._referenced_classes(t),
            runtime_imports=self._enums_used(t),
            stdlib_imports=self._stdlib_imports(fields),
            query_name=self.query_names[qualified],
            key_aliases=key_aliases,
            deprecated=plan_deprecation.message(t.name, t.doc.deprecated),
        )
        self._classes[qualified] = plan
        return plan

    def _deprecated_field(self, field: FieldPlan, t: StructuredType, qualified: str) -> FieldPlan:
        """The field with its warning and descriptor classes, when its property is deprecated."""
        members = {p.name: p.doc for p in t.properties} | {n.name: n.doc for n in t.navigation_properties}
        warning = plan_deprecation.message(f"{t.name}/{field.wire_name}", members[field.wire_name].deprecated)
        if warning is None:
            return field
        # Module-level names: class and query names are unique, attributes unique within their class.
        model, query = self.class_names[qualified], self.query_names[qualified]
        return attrs.evolve(
            field,
            deprecated=warning,
            descriptor=f"_{model}_{field.attribute}",
            query_descriptor=f"_{query}_{field.attribute}",
        )

    def _key(
        self, t: StructuredType, fields: list[FieldPlan], base: ClassPlan | None
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The key's attribute paths and the attrs field paths the runtime reads (inherited when the type
        declares none), and the aliases of path keys (by field path)."""
        if not t.key:
            return (base.key, base.odata_key, base.key_aliases) if base else ((), (), ())
        aliases = dict(t.key_aliases)
        paths, stored_paths, path_aliases = [], [], []
        for ref in t.key:  # validate.py checked that each path leads to a property
            owner_fields, attributes, stored = fields, [], []
            owner_base = base
            for segment in ref.split("/"):
                field = _field_by_wire(owner_fields, owner_base, segment)
                attributes.append(field.attribute)
                stored.append(field.storage)  # a deprecated key is read from its field, without a warning
                target = self.structured.get(field.type_name) if field.type_name else None
                if target is not None:
                    complex_plan = self._class(target.qualified_name)
                    owner_fields, owner_base = list(complex_plan.fields), complex_plan.base
            paths.append(".".join(attributes))
            stored_paths.append(".".join(stored))
            if "/" in ref:
                path_aliases.append((stored_paths[-1], aliases[ref]))
        return tuple(paths), tuple(stored_paths), tuple(path_aliases)

    def _property(self, p: Property, attribute: str) -> FieldPlan:
        annotation = self._annotation(p.type, item_nullable=p.nullable)
        if p.type.collection:
            default = "list"
        elif p.nullable:
            annotation, default = f"{annotation} | None", "None"
        else:
            default = None
        query = self._query_path(p.type, p.name)
        underlying = self._underlying(p.type.name)
        edm_type = underlying if underlying in _RANGE_CHECKED else None
        return FieldPlan(
            attribute, p.name, annotation, default, p.doc.description, query, type_name=p.type.name, edm_type=edm_type
        )

    def _navigation(self, n: NavigationProperty, attribute: str) -> FieldPlan:
        # Present only when expanded, so always optional whatever the CSDL nullability.
        annotation = self._annotation(n.type, item_nullable=False)
        query = self._query_path(n.type, n.name)
        return FieldPlan(attribute, n.name, f"{annotation} | None", "None", n.doc.description, query, navigation=True)

    def _query_path(self, ref: TypeRef, wire_name: str) -> QueryPathPlan:
        name = self._underlying(ref.name)
        wire = python_literal(wire_name)
        if name in self.structured:
            kind = "NestedCollection" if ref.collection else "Nested"
            target = self.query_names[name]
            returns = f"_q.CollectionExpr[{target}]" if ref.collection else target
            return QueryPathPlan(f"_q.{kind}", (wire, python_literal(target)), f"_q.{kind}[{target}]", returns)
        make: Argument
        if name in self.enums:
            make, edm = Call("_q.enum_of", (self.class_names[name],)), python_literal(name)
            returns = f"_q.EnumExpr[{self.class_names[name]}]"
        elif name in _QUERY_EXPRESSIONS:
            make, edm = f"_q.{_QUERY_EXPRESSIONS[name]}", python_literal(name)
            returns = make
        else:
            make, edm, returns = "_q.UntypedExpr", "None", "_q.UntypedExpr"
        if ref.collection:
            collection = Call("_q.collection_of", (make, edm))
            return QueryPathPlan("_q.Property", (wire, collection), returns=f"_q.CollectionExpr[{returns}]")
        return QueryPathPlan("_q.Property", (wire, make, edm), returns=returns)

    def _underlying(self, name: str) -> str:
        return self.typedefs[name].underlying_type if name in self.typedefs else name

    def _annotation(self, ref: TypeRef, *, item_nullable: bool) -> str:
        item = self._scalar_annotation(ref.name)
        if not ref.collection:
            return item
        return f"list[{item} | None]" if item_nullable and item != "_t.Any" else f"list[{item}]"

    def _scalar_annotation(self, name: str) -> str:
        name = self._underlying(name)
        if name in _PRIMITIVES:
            return _PRIMITIVES[name]
        if name.startswith(("Edm.Geography", "Edm.Geometry")):
            return _GEO
        if name.startswith("Edm."):
            return "_t.Any"  # Untyped, Stream and the abstract types carry any JSON
        return self.class_names[name]

    def _referenced_classes(self, t: StructuredType) -> tuple[tuple[str, str], ...]:
        refs = {self._underlying(p.type.name) for p in t.properties} | {n.type.name for n in t.navigation_properties}
        refs.discard(t.qualified_name)
        found = {(self.modules[r], self.class_names[r]) for r in refs if r in self.class_names}
        found |= {(self.modules[r], self.query_names[r]) for r in refs if r in self.query_names}
        return tuple(sorted(found - set(self._enums_used(t))))

    def _enums_used(self, t: StructuredType) -> tuple[tuple[str, str], ...]:
        """Enums the query type needs at run time, to check and format the values compared with them."""
        refs = {self._underlying(p.type.name) for p in t.properties}
        return tuple(sorted((self.modules[r], self.class_names[r]) for r in refs if r in self.enums))

    def _stdlib_imports(self, fields: list[FieldPlan]) -> tuple[tuple[str, str], ...]:
        text = " ".join(f.annotation for f in fields)
        return tuple(sorted((module, alias) for alias, module in _MODULE_ALIASES.items() if f"{alias}." in text))

    def _enum(self, e: EnumType) -> EnumPlan:
        allocator = naming.NameAllocator()
        members = tuple(
            EnumMemberPlan(allocator.allocate(naming.enum_member_name(m.name)), m.name, m.value, _member_doc(e, m))
            for m in e.members
        )
        return EnumPlan(
            name=self.class_names[e.qualified_name],
            module=self.modules[e.qualified_name],
            qualified_name=e.qualified_name,
            flags=e.is_flags,
            members=members,
            doc=e.doc.description,
        )

    def _type_index(self) -> tuple[tuple[str, str], ...]:
        aliases = {s.namespace: s.alias for s in self.document.schemas if s.alias}
        index: dict[str, str] = {}
        for qualified in self.structured:
            name = self.class_names[qualified]
            index[qualified] = name
            namespace, _, local = qualified.rpartition(".")
            if namespace in aliases:
                index[f"{aliases[namespace]}.{local}"] = name
        return tuple(sorted(index.items()))


def _member_doc(e: EnumType, member: EnumMember) -> str | None:
    """An enum member's docstring; a deprecated member says so there (PEP 702 has no form for enum members)."""
    warning = plan_deprecation.message(f"{e.name}/{member.name}", member.doc.deprecated)
    if warning is None:
        return member.doc.description
    return f"{member.doc.description}\n{warning}" if member.doc.description else warning
