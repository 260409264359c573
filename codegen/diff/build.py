"""A document and a spec -> their Surface, with the Python names the generator's own plan gives them.

Names come from `build_plan` (renames, clash rules, overload names), never from rules repeated here, so
the diff names what the generated package really has.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..csdl.model import Document, EntitySet, EnumType, Operation, Property, StructuredType
from ..layout import python_literal
from ..plan import ClassPlan, EnumPlan, PackagePlan, build_plan
from ..plan_service import OperationPlan, ParameterPlan, TypePlan
from ..spec import Spec
from .surface import (
    EntitySetSurface,
    EnumMemberSurface,
    EnumSurface,
    ImportSurface,
    NavigationSurface,
    OperationSurface,
    ParameterSurface,
    PropertySurface,
    SingletonSurface,
    Surface,
    TypeDefinitionSurface,
    TypeSurface,
)

# (owner class, OData path, non-binding parameter wire names) -> (`Class.method`, parameter attributes).
_MethodIndex = dict[tuple[str, str, tuple[str, ...]], list[tuple[str, tuple[str, ...]]]]


def build_surface(document: Document, spec: Spec, plan: PackagePlan | None = None) -> Surface:
    """The surface of the package `spec` generates from `document` (already pruned to the spec's selection);
    `plan` is the one `generate` built from both, when there is one (planning is most of the cost)."""
    plan = build_plan(document, spec) if plan is None else plan
    classes = {c.qualified_name: c for c in plan.classes}
    methods = _method_index(plan)
    containers = document.containers()
    enums = sorted(document.enum_types(), key=lambda e: e.qualified_name)
    planned_enums = {e.qualified_name: e for e in plan.enums}
    client_methods = _client_methods(methods)
    clients = {t.qualified_name: t for t in plan.service.types}
    return Surface(
        client=plan.service.client_name,
        entity_sets=_entity_sets(plan, {s.name: s for c in containers for s in c.entity_sets}),
        singletons=tuple(
            SingletonSurface(name=g.name, type=g.type.qualified_name, accessor=g.accessor)
            for g in sorted(plan.service.singletons, key=lambda g: g.name)
        ),
        imports=tuple(
            ImportSurface(
                name=i.name,
                kind=i.kind,
                operation=i.operation,
                entity_set=i.entity_set,
                methods=tuple(sorted(client_methods.get(i.name, []))),
            )
            for i in sorted((i for c in containers for i in c.operation_imports), key=lambda i: i.name)
        ),
        types=tuple(
            _type(t, classes[t.qualified_name], clients.get(t.qualified_name))
            for t in sorted(document.structured_types(), key=lambda t: t.qualified_name)
        ),
        enums=tuple(_enum(e, planned_enums[e.qualified_name]) for e in enums),
        type_definitions=tuple(
            TypeDefinitionSurface(
                qualified_name=d.qualified_name, underlying_type=d.underlying_type, max_length=d.max_length
            )
            for d in sorted(document.type_definitions(), key=lambda d: d.qualified_name)
        ),
        operations=_operations(document, methods),
    )


def _client_methods(methods: _MethodIndex) -> dict[str, list[str]]:
    """Import name -> the service client's methods for it, one per overload."""
    found: dict[str, list[str]] = {}
    for (owner, path, _), generated in methods.items():
        if owner == "":
            found.setdefault(path, []).extend(m for m, _ in generated)
    return found


def _entity_sets(plan: PackagePlan, declared: dict[str, EntitySet]) -> tuple[EntitySetSurface, ...]:
    """The sets the client exposes (the spec's [client] entity_sets), with their capabilities."""
    found = []
    for s in sorted(plan.service.entity_sets, key=lambda s: s.name):
        entity_set = declared[s.name]
        found.append(
            EntitySetSurface(
                name=s.name,
                entity_type=entity_set.entity_type,
                accessor=s.accessor,
                class_name=s.class_name,
                insertable=entity_set.insertable,
                updatable=entity_set.updatable,
                deletable=entity_set.deletable,
                non_updatable=tuple(sorted(entity_set.non_updatable_properties)),
                patch=_patch(s.patch_parameters),
            )
        )
    return tuple(found)


def _patch(parameters: Iterable[ParameterPlan]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((p.wire_name, p.attribute) for p in parameters))


def _type(t: StructuredType, model: ClassPlan, client: TypePlan | None) -> TypeSurface:
    """`client`: the item and collection classes of an entity type (None for a complex type)."""
    fields = {f.wire_name: f for f in model.fields}
    return TypeSurface(
        qualified_name=t.qualified_name,
        kind=t.kind,
        python=model.name,
        base_type=t.base_type,
        abstract=t.abstract,
        open_type=t.open_type,
        key=t.key,
        properties=tuple(
            _property(p, fields[p.name].attribute, fields[p.name].annotation, fields[p.name].default is None)
            for p in sorted(t.properties, key=lambda p: p.name)
        ),
        navigations=tuple(
            NavigationSurface(
                name=n.name,
                attribute=fields[n.name].attribute,
                target=n.type.name,
                collection=n.type.collection,
                nullable=n.nullable,
                contains_target=n.contains_target,
            )
            for n in sorted(t.navigation_properties, key=lambda n: n.name)
        ),
        item_class=client.item_class if client else None,
        item_patch=_patch(client.patch_parameters) if client else (),
    )


# CSDL XML: a temporal value without a Precision facet has precision 0 and a Decimal without Scale scale 0, so
# the absent facet and an explicit 0 (which CSDL JSON converters write) are the same API. (CSDL JSON's absent
# $Scale means variable: its reader says so.)
_TEMPORAL = frozenset({"Edm.DateTimeOffset", "Edm.TimeOfDay", "Edm.Duration"})


def _property(p: Property, attribute: str, annotation: str, required: bool) -> PropertySurface:
    return PropertySurface(
        name=p.name,
        attribute=attribute,
        type=p.type.name,
        collection=p.type.collection,
        nullable=p.nullable,
        required=required,
        annotation=annotation,
        max_length=p.max_length,
        precision=0 if p.precision is None and p.type.name in _TEMPORAL else p.precision,
        scale="0" if p.scale is None and p.type.name == "Edm.Decimal" else p.scale,
        allowed_values=tuple(
            sorted(python_literal(v.value) for v in p.doc.allowed_values if isinstance(v.value, (str, int)))
        ),
        computed=p.doc.computed,
        immutable=p.doc.immutable,
    )


def _enum(e: EnumType, planned: EnumPlan) -> EnumSurface:
    python = {m.wire_name: m.name for m in planned.members}
    return EnumSurface(
        qualified_name=e.qualified_name,
        python=planned.name,
        flags=e.is_flags,
        underlying_type=e.underlying_type,
        members=tuple(
            EnumMemberSurface(name=m.name, python=python[m.name], value=m.value)
            for m in sorted(e.members, key=lambda m: m.name)
        ),
    )


def _operations(document: Document, methods: _MethodIndex) -> tuple[OperationSurface, ...]:
    imported: dict[str, list[str]] = {}
    for i in (i for c in document.containers() for i in c.operation_imports):
        imported.setdefault(i.operation, []).append(i.name)
    found = [_operation(o, methods, imported.get(o.qualified_name, [])) for s in document.schemas for o in s.operations]
    return tuple(sorted(found, key=lambda o: (o.key, o.signature)))


def _operation(o: Operation, methods: _MethodIndex, imports: list[str]) -> OperationSurface:
    own = o.parameters[1:] if o.bound else o.parameters
    wires = tuple(p.name for p in own)
    if not o.bound:
        places = [("", name) for name in sorted(imports)]
    else:
        ref = o.parameters[0].type
        owners = ["collection"] if ref.collection else ["item", "set"]
        places = [(f"{owner}:{ref.name}", o.qualified_name) for owner in owners]
    generated = [m for owner, path in places for m in methods.get((owner, path, wires), [])]
    attributes = generated[0][1] if generated else ("",) * len(own)
    binding = str(o.parameters[0].type) if o.bound else None
    ret = o.return_type
    return OperationSurface(
        key=f"{o.qualified_name}@{binding}" if binding else o.qualified_name,
        signature=",".join(sorted(wires)),
        qualified_name=o.qualified_name,
        kind=o.kind,
        binding=binding,
        composable=o.composable,
        parameters=tuple(
            ParameterSurface(name=p.name, python=a, type=p.type.name, collection=p.type.collection, nullable=p.nullable)
            for p, a in zip(own, attributes)
        ),
        return_type=ret.name if ret else None,
        return_collection=bool(ret and ret.collection),
        return_nullable=o.return_nullable if ret else False,
        methods=tuple(sorted(name for name, _ in generated)),
    )


def _method_index(plan: PackagePlan) -> _MethodIndex:
    """Every generated operation method, by the class kind it is on, its OData path and its parameters.

    Owners: "" the service client (path: the import name), "item:T" and "collection:T" the classes of the
    binding type T, "set:T" the entity sets of type T (their `op(key, ...)` shortcuts).
    """
    index: _MethodIndex = {}

    def add(owner: str, class_name: str, operations: Iterable[OperationPlan]) -> None:
        for o in operations:
            key = (owner, o.path, tuple(p.wire_name for p in o.parameters))
            index.setdefault(key, []).append((f"{class_name}.{o.method}", tuple(p.attribute for p in o.parameters)))

    service = plan.service
    add("", service.client_name, service.operations)
    for t in service.types:
        add(f"item:{t.qualified_name}", t.item_class, t.item_operations)
        add(f"collection:{t.qualified_name}", t.collection_class, t.collection_operations)
    for s in service.entity_sets:
        add(f"set:{s.type.qualified_name}", s.class_name, s.operations)
    return index
