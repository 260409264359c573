"""The client part of the package plan: one entity-set class per chosen entity set, and the service client.

Patch methods get one keyword-only parameter per property a client may change: not computed, not
immutable, not named by the set's `Capabilities.UpdateRestrictions/NonUpdatableProperties`, not part of the
key and not a navigation or stream. Bound operations become methods of the entity sets whose type they
bind to; action and function imports become methods of the client.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from . import naming
from .csdl.model import Document, EntitySet, Operation, Property, StructuredType, TypeRef
from .csdl.limits import MAX_CLIENT_ALLOWED_VALUES, MAX_CLIENT_ITEMS
from .errors import MetadataError, SpecError
from .layout import python_literal
from .spec import Spec

if TYPE_CHECKING:  # plan.py builds the service plan, so it is imported only for types here
    from .plan import ClassPlan, FieldPlan

# Names the runtime's EntitySet and ServiceClient use, which generated members must not shadow.
_SET_MEMBERS = frozenset({"get", "query", "patch", "create", "delete", "name", "model"})
_CLIENT_MEMBERS = frozenset({"close", "aclose", "session"})
# Parameters of the generated patch method, and `changes`, the local it builds.
_PATCH_OPTIONS = frozenset({"key", "etag", "return_entity", "self", "changes"})
# Parameters and locals of generated operation methods (`arguments` and `result`, see templates/client.py.jinja),
# which an operation parameter must not redefine.
_OPERATION_LOCALS = frozenset({"key", "self", "arguments", "result"})


@attrs.frozen
class ParameterPlan:
    attribute: str
    wire_name: str
    annotation: str
    max_length: int | None = None
    allowed_values: tuple[str, ...] = ()  # Python literals


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
    operations: tuple[OperationPlan, ...]
    doc: str | None

    @property
    def constrained(self) -> list[ParameterPlan]:
        """Patch parameters with a MaxLength or allowed values, checked before sending."""
        return [p for p in self.patch_parameters if p.max_length is not None or p.allowed_values]


@attrs.frozen
class ServicePlan:
    client_name: str
    async_client_name: str
    service_path: str
    auth: str
    login_path: str | None
    entity_sets: tuple[EntitySetPlan, ...]
    operations: tuple[OperationPlan, ...]
    imports: tuple[tuple[str, str], ...]  # (module under models/, name), all imported at run time

    @property
    def stdlib_imports(self) -> list[tuple[str, str]]:
        """(module, alias) the client module's annotations use."""
        text = " ".join(
            [s.key_annotation for s in self.entity_sets]
            + [p.annotation for s in self.entity_sets for p in s.patch_parameters]
            + [o.returns + " " + " ".join(p.annotation for p in o.parameters) for o in self.all_operations]
        )
        aliases = {"_dt": "datetime", "_decimal": "decimal", "_uuid": "uuid"}
        return sorted((module, alias) for alias, module in aliases.items() if f"{alias}." in text)

    @property
    def all_operations(self) -> list[OperationPlan]:
        return [o for s in self.entity_sets for o in s.operations] + list(self.operations)


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
    # Bound operations by the type they bind to, each with its place in name order: one pass over the
    # operations, where filtering all of them for every entity set took time sets x operations.
    bound_by_type: dict[str, list[tuple[int, Operation]]] = {}
    by_qualified_name = sorted((o for o in operations if o.bound and o.parameters), key=lambda o: o.qualified_name)
    for position, o in enumerate(by_qualified_name):
        bound_by_type.setdefault(o.parameters[0].type.name, []).append((position, o))
    set_plans: list[EntitySetPlan] = []
    size = _ClientSize(spec)
    for entity_set in sets:
        pascal = naming.class_name(entity_set.name)
        set_plans.append(
            _entity_set(
                entity_set,
                structured,
                classes,
                annotation_of,
                bound_by_type,
                accessor=accessors.allocate(naming.attribute_name(entity_set.name)),
                class_name=names.allocate(f"{pascal}EntitySet"),
                async_class_name=names.allocate(f"Async{pascal}EntitySet"),
            )
        )
        size.add(set_plans[-1].patch_parameters, set_plans[-1].operations)
    imports = [i for c in document.containers() for i in c.operation_imports]
    by_name = {o.qualified_name: o for o in operations if not o.bound}
    methods = naming.NameAllocator(set(_CLIENT_MEMBERS) | {p.accessor for p in set_plans})
    unbound = [
        _operation(by_name[i.operation], annotation_of, classes, methods, path=i.name)
        for i in sorted(imports, key=lambda i: i.name)
        if i.operation in by_name
    ]
    size.add((), unbound)
    return ServicePlan(
        client_name=client,
        async_client_name=async_client,
        service_path=spec.service_path,
        auth=spec.auth,
        login_path=spec.login_path,
        entity_sets=tuple(set_plans),
        operations=tuple(unbound),
        imports=_imports(set_plans, unbound, exports),
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

    def add(self, patch_parameters: tuple[ParameterPlan, ...], operations: Iterable[OperationPlan]) -> None:
        self._items += len(patch_parameters) + sum(1 + len(o.parameters) for o in operations)
        self._allowed += sum(len(p.allowed_values) for p in patch_parameters)
        if self._items > MAX_CLIENT_ITEMS:
            message = (
                f"the client would have more than the limit of {MAX_CLIENT_ITEMS} patch parameters, operations and "
                "operation parameters, summed over its entity sets (MAX_CLIENT_ITEMS); choose fewer in "
                "[client] entity_sets"
            )
            raise MetadataError(message, path=self._path)
        if self._allowed > MAX_CLIENT_ALLOWED_VALUES:
            message = (
                f"the client would check more than the limit of {MAX_CLIENT_ALLOWED_VALUES} allowed values, summed "
                "over its entity sets (MAX_CLIENT_ALLOWED_VALUES); choose fewer in [client] entity_sets"
            )
            raise MetadataError(message, path=self._path)


def _imports(
    sets: list[EntitySetPlan], operations: list[OperationPlan], exports: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """(module, name) of every generated class the client module names: models, query types, annotations."""
    names = {s.model.name for s in sets} | {s.model.query_name for s in sets}
    texts = [s.key_annotation for s in sets] + [p.annotation for s in sets for p in s.patch_parameters]
    for operation in [o for s in sets for o in s.operations] + operations:
        texts += [operation.returns, operation.return_type or ""] + [p.annotation for p in operation.parameters]
    names |= {word for text in texts for word in re.findall(r"[A-Za-z_]\w*", text) if word in exports}
    return tuple(sorted((exports[name], name) for name in names))


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
    bound_by_type: dict[str, list[tuple[int, Operation]]],
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
    methods = naming.NameAllocator(set(_SET_MEMBERS))
    bound = [
        _operation(o, annotation_of, classes, methods, path=o.qualified_name, skip_binding=True)
        for _, o in sorted(p for t in lineage for p in bound_by_type.get(t.qualified_name, []))
    ]
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
    )


def _lineage(structured: dict[str, StructuredType], qualified: str) -> list[StructuredType]:
    """The type and its base types, root first."""
    chain = []
    current: StructuredType | None = structured[qualified]
    while current is not None:
        chain.append(current)
        current = structured.get(current.base_type) if current.base_type else None
    return chain[::-1]


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
        parameters.append(_patch_parameter(p, names.allocate(preferred), annotation_of))
    return tuple(parameters)


def _patch_parameter(p: Property, name: str, annotation_of: AnnotationOf) -> ParameterPlan:
    allowed = tuple(python_literal(v.value) for v in p.doc.allowed_values if isinstance(v.value, (str, int)))
    annotation = annotation_of(p.type, p.nullable)
    return ParameterPlan(name, p.name, annotation, p.max_length, allowed)


def _operation(
    operation: Operation,
    annotation_of: AnnotationOf,
    classes: dict[str, ClassPlan],
    methods: naming.NameAllocator,
    *,
    path: str,
    skip_binding: bool = False,
) -> OperationPlan:
    parameters = operation.parameters[1:] if skip_binding else operation.parameters
    taken = naming.NameAllocator(set(_OPERATION_LOCALS))
    params = tuple(
        ParameterPlan(taken.allocate(naming.attribute_name(p.name)), p.name, annotation_of(p.type, p.nullable))
        for p in parameters
    )
    returns, return_type, collection = "None", None, False
    if operation.return_type is not None:
        ref = operation.return_type
        returns = annotation_of(ref, operation.return_nullable)
        item = TypeRef(ref.name)
        return_type = classes[ref.name].name if ref.name in classes else annotation_of(item, False)
        collection = ref.collection
    return OperationPlan(
        method=methods.allocate(naming.attribute_name(operation.name)),
        kind=operation.kind,
        path=path,
        parameters=params,
        returns=returns,
        return_type=return_type,
        returns_collection=collection,
        doc=operation.doc.description,
    )
