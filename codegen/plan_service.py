"""The client part of the package plan: one entity-set class per chosen entity set, and the service client.

Patch methods get one keyword-only parameter per property a client may change: not computed, not
immutable, not named by the set's `Capabilities.UpdateRestrictions/NonUpdatableProperties`, not part of the
key and not a navigation or stream.

Each entity type gets an item class (one entity at a path: `client.people.navigate(key)`, a singleton, a
single-valued navigation) with its navigation properties and the operations bound to it or a base type, and
a collection class (an entity set, a collection-valued navigation, a function's result) with the
operations bound to a collection of it or of a base type. Entity sets subclass their type's collection
class and keep one method per entity-bound operation taking the key; a derived type's operations are reached
through `cast` (the type-cast segment). Action and function imports become methods of the client. Operations
bound to complex types are reached through accessors of the properties holding them (see plan_complex): their
item and collection classes go in a module per complex type, next to the entity types' modules.

The client is a package: `client/__init__.py` holds the service clients, and each entity type has a module of
its own (named as its model's module) with its item and collection classes and the entity sets and singletons
of that type. A set is a subclass of its type's collection class, so a module of its own would only add an
import; modules reach each other's classes (navigation targets, a function's result) by importing them when
the method runs, which keeps `client.users` from importing more than users needs, and lets navigations form
cycles.

Overloads (one name, several signatures on one class) are named by their parameters: the one with the fewest
(then the first by parameter names) keeps the plain name, the others get `_with_<parameter names>`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from . import naming, plan_deprecation
from .csdl.model import Document, EntitySet, Operation, Property, Singleton, StructuredType, TypeRef
from .csdl.model import lineage as type_lineage  # functions here name their local chains `lineage`
from .csdl.limits import MAX_CLIENT_ALLOWED_VALUES, MAX_CLIENT_ITEMS
from .errors import MetadataError, SpecError
from .layout import python_literal
from .plan_complex import ComplexReach, complex_reach
from .plan_refs import RefTargets
from .spec import Spec

if TYPE_CHECKING:  # plan.py builds the service plan, so it is imported only for types here
    from .plan import ClassPlan, FieldPlan

# Names the runtime's EntitySet and ServiceClient use, which generated members must not shadow.
_SET_MEMBERS = frozenset(
    {"get", "query", "patch", "create", "delete", "name", "model", "navigate", "cast", "with_options", "preview"}
)
_ITEM_MEMBERS = frozenset({"get", "cast", "patch", "path"})
_CLIENT_MEMBERS = frozenset({"close", "aclose", "session", "with_options", "preview"})
_COMPLEX_MEMBERS = frozenset({"cast", "path", "with_options", "preview"})
# Parameters of the generated patch method, and `changes`, the local it builds.
_PATCH_OPTIONS = frozenset({"key", "etag", "return_entity", "self", "changes"})
# Parameters and locals of generated operation methods (`arguments`, `result`, `item`, see templates/client_macros.jinja),
# which an operation parameter must not redefine.
_OPERATION_LOCALS = frozenset({"key", "self", "arguments", "result", "item"})


@attrs.frozen
class ParameterPlan:
    attribute: str
    wire_name: str
    annotation: str
    max_length: int | None = None
    allowed_values: tuple[str, ...] = ()  # Python literals
    deprecated: str | None = None  # the warning a patch sends when given this (deprecated) property


@attrs.frozen
class OperationPlan:
    method: str
    kind: str  # "action" or "function"
    path: str  # the URL segment: the qualified name when bound, the import name when not
    parameters: tuple[ParameterPlan, ...]
    returns: str  # annotation, "None" when the operation returns nothing
    return_type: str | None  # the class or Python type handed to the runtime to read the result
    returns_collection: bool
    doc: str | None
    query_of: TypePlan | None = None  # a function returning entities of this type: the method returns a query
    deprecated: str | None = None  # the warning, when the operation is deprecated


@attrs.frozen
class NavigationPlan:
    attribute: str
    wire_name: str
    target: TypePlan
    collection: bool
    # Its links (`$ref`, see plan_refs): the entity set of their targets and the item class's attribute for
    # them (`friends_refs`, `photo_ref`); None when they cannot be addressed.
    target_set: str | None = None
    refs: str | None = None


@attrs.frozen
class TypePlan:
    """The request classes of one entity type: its item and collection classes, sync and async."""

    qualified_name: str
    model: ClassPlan
    item_class: str
    async_item_class: str
    collection_class: str
    async_collection_class: str
    key_annotation: str
    navigations: list[NavigationPlan]  # filled once every type has its plan (navigations may form cycles)
    item_operations: tuple[OperationPlan, ...]
    collection_operations: tuple[OperationPlan, ...]
    module: str  # its module under client/
    # `patch` of the item class (a navigated entity, a singleton): the properties a client may change.
    patch_parameters: tuple[ParameterPlan, ...] = ()
    # Accessors of its complex-typed properties that lead to bound operations (plan_complex), filled last.
    complex_paths: list[PropertyPathPlan] = attrs.field(factory=list)

    @property
    def class_names(self) -> list[str]:
        return [self.item_class, self.async_item_class, self.collection_class, self.async_collection_class]

    @property
    def constrained(self) -> list[ParameterPlan]:
        return _constrained(self.patch_parameters)

    @property
    def item_base(self) -> tuple[str, str]:
        generic = f"[{self.model.name}, {self.model.query_name}]"
        return f"_nav.EntityItem{generic}", f"_nav.AsyncEntityItem{generic}"

    @property
    def collection_base(self) -> tuple[str, str]:
        generic = f"[{self.model.name}, {self.model.query_name}, {self.key_annotation}]"
        return f"_http.EntitySet{generic}", f"_http.AsyncEntitySet{generic}"


@attrs.frozen
class PropertyPathPlan:
    """An accessor of a complex-typed property: `.../Name` as its type's item or collection class."""

    attribute: str
    wire_name: str
    target: ComplexTypePlan
    collection: bool


@attrs.frozen
class ComplexTypePlan:
    """The request classes of one complex type (see plan_complex): an item class when a single-valued property
    of the type leads to operations, a collection class when a collection-valued one does (None: not needed)."""

    qualified_name: str
    model: ClassPlan
    item_class: str | None
    async_item_class: str | None
    collection_class: str | None
    async_collection_class: str | None
    item_operations: tuple[OperationPlan, ...]
    collection_operations: tuple[OperationPlan, ...]
    module: str  # its module under client/, named as its model's module
    properties: list[PropertyPathPlan] = attrs.field(factory=list)  # of the item class; filled last (cycles)

    @property
    def class_names(self) -> list[str]:
        """Its classes, sync then async, as its module defines them."""
        names = [self.item_class, self.collection_class, self.async_item_class, self.async_collection_class]
        return [n for n in names if n is not None]


@attrs.frozen
class ComplexModulePlan:
    type: ComplexTypePlan
    imports: ModuleImports

    @property
    def name(self) -> str:
        return self.type.module

    @property
    def class_names(self) -> list[str]:
        return self.type.class_names


@attrs.frozen
class SingletonPlan:
    name: str
    accessor: str
    class_name: str
    async_class_name: str
    type: TypePlan  # its item class has the patch method: a singleton changes the properties its type allows
    doc: str | None
    deprecated: str | None = None


@attrs.frozen
class EntitySetPlan:
    name: str
    accessor: str
    class_name: str
    async_class_name: str
    model: ClassPlan
    key_annotation: str
    updatable: bool
    insertable: bool
    etag: bool
    patch_parameters: tuple[ParameterPlan, ...]
    operations: tuple[OperationPlan, ...]  # bound to one entity: `(key, ...)`, the same as `navigate(key).op()`
    doc: str | None
    type: TypePlan
    deprecated: str | None = None

    @property
    def constrained(self) -> list[ParameterPlan]:
        """Patch parameters with a MaxLength or allowed values, checked before sending."""
        return _constrained(self.patch_parameters)


def _constrained(parameters: tuple[ParameterPlan, ...]) -> list[ParameterPlan]:
    return [p for p in parameters if p.max_length is not None or p.allowed_values]


@attrs.frozen
class ModuleImports:
    """What one module of the client package imports: the models its code uses; the models and its peers'
    classes that only annotations name, for type checkers."""

    models: tuple[tuple[str, str], ...]  # (module under models/, name) the code uses
    # (module under models/, name) only annotations name: importing them when the module loads would load
    # every model a patch method's parameters mention (30 for Graph's users).
    typing_models: tuple[tuple[str, str], ...]
    peers: tuple[tuple[str, str], ...]  # (module under client/, class), imported again where a method needs it
    stdlib: tuple[tuple[str, str], ...]  # (module, alias) the annotations use


@attrs.frozen
class TypeModulePlan:
    """The module of one entity type under client/: its item and collection classes, its sets and singletons."""

    type: TypePlan
    entity_sets: tuple[EntitySetPlan, ...]
    singletons: tuple[SingletonPlan, ...]
    imports: ModuleImports

    @property
    def name(self) -> str:
        return self.type.module

    @property
    def class_names(self) -> list[str]:
        """Its public classes, sync then async, as the module defines them."""
        sync = [self.type.item_class, self.type.collection_class]
        sync += [s.class_name for s in self.entity_sets] + [g.class_name for g in self.singletons]
        asynchronous = [self.type.async_item_class, self.type.async_collection_class]
        asynchronous += [s.async_class_name for s in self.entity_sets] + [g.async_class_name for g in self.singletons]
        return sync + asynchronous


@attrs.frozen
class ServicePlan:
    client_name: str
    async_client_name: str
    service_path: str
    auth: str
    login_path: str | None
    entity_sets: tuple[EntitySetPlan, ...]
    operations: tuple[OperationPlan, ...]
    imports: ModuleImports  # of client/__init__.py, which holds the service clients and the unbound operations
    types: tuple[TypePlan, ...] = ()
    singletons: tuple[SingletonPlan, ...] = ()
    modules: tuple[TypeModulePlan, ...] = ()
    # (class, its module under client/) of every class the type modules define, sorted by class.
    class_index: tuple[tuple[str, str], ...] = ()
    complex_modules: tuple[ComplexModulePlan, ...] = ()

    @property
    def has_deprecations(self) -> bool:
        """Whether a client member is deprecated (a set's operations are its type's; a deprecated patch
        parameter is a deprecated property, which the models count)."""
        operations = [o for t in self.types for o in (*t.item_operations, *t.collection_operations)]
        members: list[OperationPlan | EntitySetPlan | SingletonPlan] = [*self.operations, *operations]
        return any(m.deprecated for m in [*members, *self.entity_sets, *self.singletons])


AnnotationOf = Callable[[TypeRef, bool], str]


def build_service_plan(
    document: Document,
    spec: Spec,
    classes: dict[str, ClassPlan],
    annotation_of: AnnotationOf,
    exports: dict[str, str],
) -> ServicePlan:
    """`annotation_of(type, nullable)` gives a parameter's annotation; `exports` maps public names to modules."""
    structured = {t.qualified_name: t for t in document.structured_types()}
    operations = [o for s in document.schemas for o in s.operations]
    sets = _chosen_sets(document, spec)
    names = naming.NameAllocator(set(exports), fold_case=True, separator="")
    client = names.allocate(f"{spec.service_name}Client" if spec.source else "Client")
    async_client = names.allocate(f"Async{client}")
    accessors = naming.NameAllocator(set(_CLIENT_MEMBERS))
    size = _ClientSize(spec)
    ref_targets = RefTargets(s for c in document.containers() for s in c.entity_sets)
    types = _type_plans(structured, classes, annotation_of, operations, names, size, ref_targets)
    set_plans: list[EntitySetPlan] = []
    for entity_set in sets:
        pascal = naming.class_name(entity_set.name)
        set_plans.append(
            _entity_set(
                entity_set,
                structured,
                classes,
                annotation_of,
                types[entity_set.entity_type],
                accessor=accessors.allocate(naming.attribute_name(entity_set.name)),
                class_name=names.allocate(f"{pascal}EntitySet"),
                async_class_name=names.allocate(f"Async{pascal}EntitySet"),
            )
        )
        size.add(set_plans[-1].patch_parameters, set_plans[-1].operations)
    singletons = []
    for singleton in sorted((s for c in document.containers() for s in c.singletons), key=lambda s: s.name):
        singletons.append(_singleton(singleton, types, accessors, names))
    imports = [i for c in document.containers() for i in c.operation_imports]
    by_name: dict[str, list[Operation]] = {}
    for o in operations:
        if not o.bound:
            by_name.setdefault(o.qualified_name, []).append(o)
    methods = naming.NameAllocator(
        set(_CLIENT_MEMBERS) | {p.accessor for p in set_plans} | {g.accessor for g in singletons}
    )
    unbound = _operations(
        [(i.name, o) for i in sorted(imports, key=lambda i: i.name) for o in by_name.get(i.operation, [])],
        annotation_of,
        classes,
        types,
        methods,
        bound=False,
    )
    size.add((), unbound)
    reach = complex_reach(structured, operations)
    complex_plans = _complex_plans(reach, structured, classes, annotation_of, types, names, size)
    plans = tuple(types[q] for q in sorted(types))
    modules = tuple(_type_module(t, set_plans, singletons, exports) for t in plans)
    complex_modules = tuple(_complex_module(c, exports) for c in complex_plans)
    root_peers = [(s.type.module, c) for s in set_plans for c in (s.class_name, s.async_class_name)]
    root_peers += [(g.type.module, c) for g in singletons for c in (g.class_name, g.async_class_name)]
    return ServicePlan(
        client_name=client,
        async_client_name=async_client,
        service_path=spec.service_path,
        auth=spec.auth,
        login_path=spec.login_path,
        entity_sets=tuple(set_plans),
        operations=tuple(unbound),
        imports=_module_imports([], [], unbound, root_peers, None, exports),
        types=plans,
        singletons=tuple(singletons),
        modules=modules,
        class_index=tuple(sorted(_class_index(modules) + _class_index(complex_modules))),
        complex_modules=complex_modules,
    )


# Graph's 1,182 modules ask for the words of the same few hundred annotations ("str | None", ...) over and over.
@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[A-Za-z_]\w*", text))


def _type_module(
    t: TypePlan, sets: list[EntitySetPlan], singletons: list[SingletonPlan], exports: dict[str, str]
) -> TypeModulePlan:
    own_sets = tuple(s for s in sets if s.type.qualified_name == t.qualified_name)
    own_singletons = tuple(g for g in singletons if g.type.qualified_name == t.qualified_name)
    texts = [t.key_annotation] + [p.annotation for p in t.patch_parameters]
    texts += [p.annotation for s in own_sets for p in s.patch_parameters]
    operations = [*t.item_operations, *t.collection_operations, *(o for s in own_sets for o in s.operations)]
    peers: list[tuple[str, str]] = []
    for n in t.navigations:  # a collection-valued one returns the target's collection classes, else its items
        target = n.target
        if n.collection:
            peers += [(target.module, target.collection_class), (target.module, target.async_collection_class)]
        else:
            peers += [(target.module, target.item_class), (target.module, target.async_item_class)]
        if n.refs is not None:  # its link methods take the target's key (or entity)
            texts.append(target.key_annotation)
    peers += _path_peers(t.complex_paths)
    imports = _module_imports([t.model.name, t.model.query_name], texts, operations, peers, t.module, exports)
    return TypeModulePlan(t, own_sets, own_singletons, imports)


def _module_imports(
    values: list[str],
    texts: list[str],
    operations: Iterable[OperationPlan],
    peers: list[tuple[str, str]],
    module: str | None,
    exports: dict[str, str],
) -> ModuleImports:
    """The imports of one client module (`module` None: client/__init__.py): models its code uses as `values`
    (and operations' result types) at run time, those `texts` and the operations' signatures only annotate
    with for type checkers; the classes of other client modules in `peers` and the operations' results."""
    values, texts = list(values), list(texts)
    for o in operations:
        texts += [o.returns] + [p.annotation for p in o.parameters]
        if o.query_of is None:  # the result is read as this type; a query's, by the collection class
            values.append(o.return_type or "")
        else:
            peers.append((o.query_of.module, o.query_of.collection_class))
            peers.append((o.query_of.module, o.query_of.async_collection_class))
    run_time = {word for text in values for word in _words(text) if word in exports}
    typing = {word for text in texts for word in _words(text) if word in exports} - run_time
    text = " ".join(values + texts)
    aliases = {"_dt": "datetime", "_decimal": "decimal", "_uuid": "uuid"}
    return ModuleImports(
        models=tuple(sorted((exports[name], name) for name in run_time)),
        typing_models=tuple(sorted((exports[name], name) for name in typing)),
        peers=tuple(sorted({p for p in peers if p[0] != module})),
        stdlib=tuple(sorted((m, alias) for alias, m in aliases.items() if f"{alias}." in text)),
    )


def _type_plans(
    structured: dict[str, StructuredType],
    classes: dict[str, ClassPlan],
    annotation_of: AnnotationOf,
    operations: list[Operation],
    names: naming.NameAllocator,
    size: _ClientSize,
    ref_targets: RefTargets,
) -> dict[str, TypePlan]:
    """An item and a collection class per entity type, in name order; then their navigation properties.

    Bound operations are grouped by the type they bind to in one pass: filtering all of them for every type
    took time types x operations (Graph: 1,182 x 1,181).
    """
    entity_bound: dict[str, list[Operation]] = {}
    collection_bound: dict[str, list[Operation]] = {}
    for o in operations:
        if o.bound and o.parameters:
            binding = o.parameters[0].type
            target = collection_bound if binding.collection else entity_bound
            target.setdefault(binding.name, []).append(o)
    entities = sorted(q for q, t in structured.items() if t.kind == "entity")
    plans: dict[str, TypePlan] = {}
    for qualified in entities:
        model = classes[qualified]
        pascal = model.name
        plans[qualified] = TypePlan(
            qualified_name=qualified,
            model=model,
            item_class=names.allocate(f"{pascal}Item"),
            async_item_class=names.allocate(f"Async{pascal}Item"),
            collection_class=names.allocate(f"{pascal}Collection"),
            async_collection_class=names.allocate(f"Async{pascal}Collection"),
            key_annotation=_key_annotation(_lineage(structured, qualified), structured, classes, model),
            navigations=[],
            item_operations=(),
            collection_operations=(),
            # Importing client/<module>.py binds <module> in client/__init__.py, whose own names all start with
            # "_" or a capital: no module name does (naming.module_name).
            module=model.module,
            patch_parameters=_type_patch_parameters(structured, classes, qualified, annotation_of),
        )
    done: dict[str, TypePlan] = {}
    for qualified in entities:
        lineage = _lineage(structured, qualified)
        item_names = naming.NameAllocator(set(_ITEM_MEMBERS) | set(_SET_MEMBERS))
        navigations = [
            NavigationPlan(
                item_names.allocate(naming.attribute_name(n.name)), n.name, plans[n.type.name], n.type.collection
            )
            for t in lineage
            for n in t.navigation_properties
            if n.type.name in plans
        ]
        on_item = [("", o) for t in lineage for o in entity_bound.get(t.qualified_name, [])]
        on_collection = [("", o) for t in lineage for o in collection_bound.get(t.qualified_name, [])]
        collection_names = naming.NameAllocator(set(_SET_MEMBERS))
        plan = attrs.evolve(
            plans[qualified],
            item_operations=_operations(on_item, annotation_of, classes, plans, item_names),
            collection_operations=_operations(on_collection, annotation_of, classes, plans, collection_names),
        )
        # Named after the operations, so that adding links renames no operation an existing client calls.
        plan.navigations.extend(_with_refs(navigations, lineage, ref_targets, item_names))
        size.add(plan.patch_parameters, (*plan.item_operations, *plan.collection_operations), len(navigations))
        done[qualified] = plan
    # Navigation targets were taken from the first plans, whose lists are the same objects: point them at
    # the final plans (same names), so that a template reading a target's operations sees them.
    for plan in done.values():
        plan.navigations[:] = [attrs.evolve(n, target=done[n.target.qualified_name]) for n in plan.navigations]
    return done


def _with_refs(
    navigations: list[NavigationPlan],
    lineage: list[StructuredType],
    ref_targets: RefTargets,
    names: naming.NameAllocator,
) -> list[NavigationPlan]:
    declared = {n.name: n for t in lineage for n in t.navigation_properties}
    done = []
    for n in navigations:
        target_set = ref_targets.target(lineage, declared[n.wire_name])
        if target_set is not None:
            suffix = "Refs" if n.collection else "Ref"
            n = attrs.evolve(n, target_set=target_set, refs=names.allocate(naming.attribute_name(n.wire_name + suffix)))
        done.append(n)
    return done


def _type_patch_parameters(
    structured: dict[str, StructuredType], classes: dict[str, ClassPlan], qualified: str, annotation_of: AnnotationOf
) -> tuple[ParameterPlan, ...]:
    """The patch parameters of an entity at a path: no set names properties it forbids, so only the type's
    own rules (computed, immutable, key, stream) hold."""
    lineage = _lineage(structured, qualified)
    frozen = {k.split("/")[0] for t in lineage for k in t.key}
    editable = [p for t in lineage for p in t.properties if _editable(p, frozen)]
    by_wire = {f.wire_name: f for c in _class_lineage(classes[qualified]) for f in c.fields}
    return _patch_parameters(editable, by_wire, annotation_of)


def _singleton(
    singleton: Singleton, types: dict[str, TypePlan], accessors: naming.NameAllocator, names: naming.NameAllocator
) -> SingletonPlan:
    """A singleton: its type's item class at `/Name`, whose `patch` changes the properties a client may change."""
    if singleton.type not in types:
        raise MetadataError(f"singleton {singleton.name} has type {singleton.type}, which is not an entity type")
    pascal = naming.class_name(singleton.name)
    return SingletonPlan(
        name=singleton.name,
        accessor=accessors.allocate(naming.attribute_name(singleton.name)),
        class_name=names.allocate(f"{pascal}Singleton"),
        async_class_name=names.allocate(f"Async{pascal}Singleton"),
        type=types[singleton.type],
        doc=None,
        deprecated=plan_deprecation.message(singleton.name, singleton.doc.deprecated),
    )


class _ClientSize:
    """Refuses a client module too large to write in seconds, as soon as planning reaches the limit.

    Each entity set repeats its type's patch parameters and bound operations, so the size of the client grows
    with sets x members, which the per-document and per-type limits alone do not bound.
    """

    def __init__(self, spec: Spec):
        self._path = str(spec.metadata)
        self._items = 0
        self._allowed = 0

    def add(
        self, patch_parameters: tuple[ParameterPlan, ...], operations: Iterable[OperationPlan], navigations: int = 0
    ) -> None:
        self._items += len(patch_parameters) + sum(1 + len(o.parameters) for o in operations) + navigations
        self._allowed += sum(len(p.allowed_values) for p in patch_parameters)
        if self._items > MAX_CLIENT_ITEMS:
            message = (
                f"the client would have more than the limit of {MAX_CLIENT_ITEMS} patch parameters, operations, "
                "operation parameters and navigation properties, summed over its entity sets, singletons and entity "
                "types (MAX_CLIENT_ITEMS); choose fewer in [client] entity_sets"
            )
            raise MetadataError(message, path=self._path)
        if self._allowed > MAX_CLIENT_ALLOWED_VALUES:
            message = (
                f"the client would check more than the limit of {MAX_CLIENT_ALLOWED_VALUES} allowed values, summed "
                "over its entity sets (MAX_CLIENT_ALLOWED_VALUES); choose fewer in [client] entity_sets"
            )
            raise MetadataError(message, path=self._path)


def _chosen_sets(document: Document, spec: Spec) -> list[EntitySet]:
    available = {s.name: s for c in document.containers() for s in c.entity_sets}
    if spec.entity_sets is None:
        return [available[name] for name in sorted(available)]
    missing = [name for name in spec.entity_sets if name not in available]
    if missing:
        raise SpecError(f"[client] entity_sets names {missing[0]!r}, which the metadata does not define")
    return [available[name] for name in spec.entity_sets]


def _entity_set(
    entity_set: EntitySet,
    structured: dict[str, StructuredType],
    classes: dict[str, ClassPlan],
    annotation_of: AnnotationOf,
    type_plan: TypePlan,
    *,
    accessor: str,
    class_name: str,
    async_class_name: str,
) -> EntitySetPlan:
    model = classes[entity_set.entity_type]
    lineage = _lineage(structured, entity_set.entity_type)
    properties = [p for t in lineage for p in t.properties]
    # A key through a complex property (`Info/ID`) freezes the whole complex property.
    key_names = {k.split("/")[0] for t in lineage for k in t.key}
    frozen = set(entity_set.non_updatable_properties) | key_names
    by_wire = {f.wire_name: f for c in _class_lineage(model) for f in c.fields}
    editable = [p for p in properties if _editable(p, frozen)]
    # The set's shortcuts `op(key, ...)` for `navigate(key).op(...)`, unless the name is a collection's operation.
    taken = {o.method for o in type_plan.collection_operations}
    bound = [o for o in type_plan.item_operations if o.method not in taken]
    return EntitySetPlan(
        name=entity_set.name,
        accessor=accessor,
        class_name=class_name,
        async_class_name=async_class_name,
        model=model,
        key_annotation=_key_annotation(lineage, structured, classes, model),
        updatable=entity_set.updatable and bool(editable),
        insertable=entity_set.insertable,
        etag=bool(entity_set.concurrency_properties),
        patch_parameters=_patch_parameters(editable, by_wire, annotation_of),
        operations=tuple(bound),
        doc=entity_set.doc.description,
        type=type_plan,
        deprecated=plan_deprecation.message(entity_set.name, entity_set.doc.deprecated),
    )


def _lineage(structured: dict[str, StructuredType], qualified: str) -> list[StructuredType]:
    """The type and its base types, root first."""
    return type_lineage(structured, qualified)[::-1]


def _class_lineage(model: ClassPlan) -> list[ClassPlan]:
    chain = []
    current: ClassPlan | None = model
    while current is not None:
        chain.append(current)
        current = current.base
    return chain


def _editable(p: Property, frozen: set[str]) -> bool:
    return not (p.doc.computed or p.doc.immutable or p.name in frozen or p.type.name == "Edm.Stream")


def _key_annotation(
    lineage: list[StructuredType],
    structured: dict[str, StructuredType],
    classes: dict[str, ClassPlan],
    model: ClassPlan,
) -> str:
    """One key property: its type (or the entity itself); a composite key: a mapping of wire names (or aliases)."""
    key = [k for t in lineage for k in t.key]
    if len(key) == 1:
        return f"{_key_field(lineage, key[0], structured, classes).annotation.removesuffix(' | None')} | {model.name}"
    return f"_t.Mapping[str, _q.KeyValue] | {model.name}"


def _key_field(
    lineage: list[StructuredType], path: str, structured: dict[str, StructuredType], classes: dict[str, ClassPlan]
) -> FieldPlan:
    """The field a key path ends at: `ID`, or `Info/ID` through the complex type of `Info`."""
    owner = lineage[-1]
    segments = path.split("/")
    for segment in segments[:-1]:  # validate.py checked that each leads to a complex property
        prop = next(p for t in _lineage(structured, owner.qualified_name) for p in t.properties if p.name == segment)
        owner = structured[prop.type.name]
    fields = {f.wire_name: f for c in _class_lineage(classes[owner.qualified_name]) for f in c.fields}
    return fields[segments[-1]]


def _patch_parameters(
    editable: list[Property], by_wire: dict[str, FieldPlan], annotation_of: AnnotationOf
) -> tuple[ParameterPlan, ...]:
    """One keyword parameter per editable property, all names of the signature from one allocator.

    Renames make any attribute possible (`etag`, `etag_`, `key_`), so a fixed `_` suffix alone could give two
    parameters one name; the allocator, seeded with the method's own parameters and locals, cannot.
    """
    names = naming.NameAllocator(set(_PATCH_OPTIONS))
    parameters = []
    for p in editable:
        attribute = by_wire[p.name].attribute
        preferred = f"{attribute}_" if attribute in _PATCH_OPTIONS else attribute
        parameters.append(_patch_parameter(p, names.allocate(preferred), annotation_of, by_wire[p.name].deprecated))
    return tuple(parameters)


def _patch_parameter(p: Property, name: str, annotation_of: AnnotationOf, deprecated: str | None) -> ParameterPlan:
    allowed = tuple(python_literal(v.value) for v in p.doc.allowed_values if isinstance(v.value, (str, int)))
    annotation = annotation_of(p.type, p.nullable)
    return ParameterPlan(name, p.name, annotation, p.max_length, allowed, deprecated)


def _operations(
    found: list[tuple[str, Operation]],
    annotation_of: AnnotationOf,
    classes: dict[str, ClassPlan],
    types: dict[str, TypePlan],
    methods: naming.NameAllocator,
    *,
    bound: bool = True,
) -> tuple[OperationPlan, ...]:
    """The methods of one class, for (path, operation) pairs (path "" for the qualified name), named by the
    overload rule of the module text; in order of name, then of that rule."""

    def parameters(o: Operation) -> list[str]:
        return [naming.attribute_name(p.name) for p in (o.parameters[1:] if bound else o.parameters)]

    groups: dict[str, list[tuple[str, Operation]]] = {}
    for path, o in found:
        groups.setdefault(naming.attribute_name(o.name), []).append((path, o))
    plans = []
    for name in sorted(groups):
        group = sorted(groups[name], key=lambda pair: (len(parameters(pair[1])), parameters(pair[1])))
        for index, (path, o) in enumerate(group):
            preferred = name if index == 0 else "_".join([name, "with", *parameters(o)] or [name])
            overloads = len(group) if len(group) > 1 else 0
            plans.append(
                _operation(
                    o,
                    annotation_of,
                    classes,
                    types,
                    methods.allocate(preferred),
                    path or o.qualified_name,
                    bound,
                    overloads,
                )
            )
    return tuple(plans)


def _operation(
    operation: Operation,
    annotation_of: AnnotationOf,
    classes: dict[str, ClassPlan],
    types: dict[str, TypePlan],
    method: str,
    path: str,
    skip_binding: bool,
    overloads: int,
) -> OperationPlan:
    parameters = operation.parameters[1:] if skip_binding else operation.parameters
    taken = naming.NameAllocator(set(_OPERATION_LOCALS))
    params = tuple(
        ParameterPlan(taken.allocate(naming.attribute_name(p.name)), p.name, annotation_of(p.type, p.nullable))
        for p in parameters
    )
    returns, return_type, collection, query_of = "None", None, False, None
    if operation.return_type is not None:
        ref = operation.return_type
        returns = annotation_of(ref, operation.return_nullable)
        item = TypeRef(ref.name)
        return_type = classes[ref.name].name if ref.name in classes else annotation_of(item, False)
        collection = ref.collection
        if operation.kind == "function" and collection and ref.name in types:
            query_of = types[ref.name]
    doc = operation.doc.description or f"{operation.kind.title()} {path}."
    if overloads:
        doc += (
            f" One of {overloads} overloads of {operation.name} here: the one with the fewest parameters (then the first"
            " by their names) is named after the operation, the others add `_with_` and their parameter names."
        )
    return OperationPlan(
        method=method,
        kind=operation.kind,
        path=path,
        parameters=params,
        returns=returns,
        return_type=return_type,
        returns_collection=collection,
        doc=doc,
        query_of=query_of,
        deprecated=plan_deprecation.message(operation.name, operation.doc.deprecated),
    )


# -- complex-typed properties and the operations bound to complex types (see plan_complex) --------------------


def _complex_plans(
    reach: ComplexReach,
    structured: dict[str, StructuredType],
    classes: dict[str, ClassPlan],
    annotation_of: AnnotationOf,
    types: dict[str, TypePlan],
    names: naming.NameAllocator,
    size: _ClientSize,
) -> list[ComplexTypePlan]:
    """The classes of the complex types `reach` names, in name order, then the accessors of every item class
    (entity or complex): properties may lead to each other in cycles."""
    plans: dict[str, ComplexTypePlan] = {}
    for qualified in sorted(reach.items | reach.collections):
        lineage = [t.qualified_name for t in _lineage(structured, qualified)]
        pascal = classes[qualified].name
        item, collection = qualified in reach.items, qualified in reach.collections
        on_item = [("", o) for t in lineage for o in reach.item_bound.get(t, [])] if item else []
        on_collection = [("", o) for t in lineage for o in reach.collection_bound.get(t, [])] if collection else []
        plans[qualified] = ComplexTypePlan(
            qualified_name=qualified,
            model=classes[qualified],
            item_class=names.allocate(f"{pascal}Item") if item else None,
            async_item_class=names.allocate(f"Async{pascal}Item") if item else None,
            collection_class=names.allocate(f"{pascal}Collection") if collection else None,
            async_collection_class=names.allocate(f"Async{pascal}Collection") if collection else None,
            item_operations=_operations(on_item, annotation_of, classes, types, naming.NameAllocator(_COMPLEX_MEMBERS)),
            collection_operations=_operations(
                on_collection, annotation_of, classes, types, naming.NameAllocator(_COMPLEX_MEMBERS)
            ),
            module=classes[qualified].module,
        )
    for plan in plans.values():
        if plan.item_class is not None:
            taken = set(_COMPLEX_MEMBERS) | {o.method for o in plan.item_operations}
            plan.properties.extend(_property_paths(structured, plan.qualified_name, reach, plans, taken))
        size.add((), (*plan.item_operations, *plan.collection_operations), len(plan.properties))
    for t in types.values() if plans else ():
        taken = set(_ITEM_MEMBERS) | set(_SET_MEMBERS) | {n.attribute for n in t.navigations}
        taken |= {o.method for o in t.item_operations}
        t.complex_paths.extend(_property_paths(structured, t.qualified_name, reach, plans, taken))
        size.add((), (), len(t.complex_paths))
    return list(plans.values())


def _property_paths(
    structured: dict[str, StructuredType],
    qualified: str,
    reach: ComplexReach,
    plans: dict[str, ComplexTypePlan],
    taken: set[str],
) -> list[PropertyPathPlan]:
    """Accessors of the type's properties (its base types' too) that lead to a complex type's class; named
    after the navigations and operations of the class, so that adding one renames none of those."""
    names = naming.NameAllocator(taken)
    return [
        PropertyPathPlan(names.allocate(naming.attribute_name(p.name)), p.name, plans[p.type.name], p.type.collection)
        for t in _lineage(structured, qualified)
        for p in t.properties
        if reach.leads_somewhere(p)
    ]


def _class_index(modules: Iterable[TypeModulePlan | ComplexModulePlan]) -> list[tuple[str, str]]:
    return [(name, m.name) for m in modules for name in m.class_names]


def _path_peers(paths: Iterable[PropertyPathPlan]) -> list[tuple[str, str]]:
    """The classes (module under client/, class) the accessors return, both flavours."""
    peers = []
    for p in paths:
        t = p.target
        pair = (t.collection_class, t.async_collection_class) if p.collection else (t.item_class, t.async_item_class)
        peers += [(t.module, name) for name in pair if name is not None]
    return peers


def _complex_module(t: ComplexTypePlan, exports: dict[str, str]) -> ComplexModulePlan:
    operations = [*t.item_operations, *t.collection_operations]
    imports = _module_imports([t.model.name], [], operations, _path_peers(t.properties), t.module, exports)
    return ComplexModulePlan(t, imports)
