"""Two surfaces -> the sorted changes between them, each classified by rules.RULES and naming its Python names.

Elements are matched by their OData names (the wire names code depends on), so renaming a property in the
document is a removal and an addition, and renaming it in the spec alone is a `python-name-changed`.
Operation overloads are matched by name and binding, then by parameter names when several share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import attrs

from .rules import RULES, WIDENINGS
from .surface import (
    EntitySetSurface,
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

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Change:
    kind: str  # a key of rules.RULES
    path: str  # the OData element: `NS.Type/Property`, `EntitySet`, `NS.Op@Binding(params)`
    python: tuple[str, ...]  # the Python names affected, sorted
    old: str | None = None
    new: str | None = None

    @property
    def breaking(self) -> bool:
        return RULES[self.kind][0]

    @property
    def reason(self) -> str:
        return RULES[self.kind][1]

    def sort_key(self) -> tuple[bool, str, str, str, str]:
        return (not self.breaking, self.path, self.kind, self.old or "", self.new or "")


def compare(old: Surface, new: Surface) -> tuple[Change, ...]:
    """Every change from `old` to `new`, breaking first, then by OData path: the same surfaces, the same tuple."""
    found = _Comparison(old, new)
    found.run()
    return tuple(sorted(set(found.changes), key=Change.sort_key))


def _pairs(old: Iterable[T], new: Iterable[T], key: Callable[[T], str]) -> Iterable[tuple[str, T | None, T | None]]:
    """(key, old, new) in key order; None on the side that lacks it."""
    before, after = {key(x): x for x in old}, {key(x): x for x in new}
    for name in sorted(before.keys() | after.keys()):
        yield name, before.get(name), after.get(name)


def _show(value: object) -> str | None:
    return None if value is None else str(value).lower() if isinstance(value, bool) else str(value)


class _Comparison:
    def __init__(self, old: Surface, new: Surface):
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.old_types = {t.qualified_name: t for t in old.types}
        self.new_types = {t.qualified_name: t for t in new.types}
        self.old_patches = _set_patches(old, self.old_types)
        self.new_patches = _set_patches(new, self.new_types)

    def add(self, kind: str, path: str, python: Iterable[str], old: object = None, new: object = None) -> None:
        self.changes.append(
            Change(kind=kind, path=path, python=tuple(sorted(set(python))), old=_show(old), new=_show(new))
        )

    def _moved(self, methods: Iterable[str]) -> set[str]:
        """Old method names with the client class renamed as in the new surface: its rename is reported once."""
        prefix = f"{self.old.client}."
        return {f"{self.new.client}.{m[len(prefix):]}" if m.startswith(prefix) else m for m in methods}

    def run(self) -> None:
        if self.old.client != self.new.client:
            self.add("python-name-changed", "EntityContainer", [self.old.client], self.old.client, self.new.client)
        for name, s0, s1 in _pairs(self.old.entity_sets, self.new.entity_sets, lambda s: s.name):
            self._entity_set(name, s0, s1)
        for name, g0, g1 in _pairs(self.old.singletons, self.new.singletons, lambda s: s.name):
            self._singleton(name, g0, g1)
        for name, i0, i1 in _pairs(self.old.imports, self.new.imports, lambda i: i.name):
            self._import(name, i0, i1)
        for name, t0, t1 in _pairs(self.old.types, self.new.types, lambda t: t.qualified_name):
            self._type(name, t0, t1)
        for name, e0, e1 in _pairs(self.old.enums, self.new.enums, lambda e: e.qualified_name):
            self._enum(name, e0, e1)
        for name, d0, d1 in _pairs(self.old.type_definitions, self.new.type_definitions, lambda d: d.qualified_name):
            self._type_definition(name, d0, d1)
        self._operations()

    def _element(
        self, what: str, path: str, before: T | None, after: T | None, names: Callable[[T], Iterable[str]]
    ) -> None:
        if before is None and after is not None:
            self.add(f"{what}-added", path, names(after))
        elif after is None and before is not None:
            self.add(f"{what}-removed", path, names(before))

    def _renamed(self, path: str, old: Iterable[str], new: Iterable[str]) -> None:
        gone = sorted(set(old) - set(new))
        self.add("python-name-changed", path, gone, ", ".join(gone), ", ".join(sorted(set(new) - set(old))) or None)

    def _flag(self, path: str, python: Iterable[str], old: bool, new: bool, on: str, off: str) -> None:
        if old != new:  # the kind says which way: `false -> true` would repeat it
            self.add(on if new else off, path, python)

    def _retyped(self, kind: str, path: str, python: Iterable[str], old: str | None, new: str | None) -> None:
        if old != new:
            self.add(f"{kind}-widened" if (old, new) in WIDENINGS else f"{kind}-changed", path, python, old, new)

    def _bound(self, kind: str, path: str, python: Iterable[str], old: int | None, new: int | None) -> None:
        """A limit (MaxLength, Precision): None is unbounded, so None -> 10 is lowered and 10 -> None raised."""
        if old == new:
            return
        lowered = new is not None and (old is None or new < old)
        self.add(f"{kind}-lowered" if lowered else f"{kind}-raised", path, python, old, new)

    # -- the container --------------------------------------------------------

    def _entity_set(self, name: str, s0: EntitySetSurface | None, s1: EntitySetSurface | None) -> None:
        def names(s: EntitySetSurface) -> list[str]:
            return [f"client.{s.accessor}", s.class_name]

        self._element("entity-set", name, s0, s1, names)
        if s0 is None or s1 is None:
            return
        if s0.entity_type != s1.entity_type:
            self.add("entity-set-type-changed", s0.name, names(s1), s0.entity_type, s1.entity_type)
        if (s0.accessor, s0.class_name) != (s1.accessor, s1.class_name):
            self._renamed(s0.name, names(s0), names(s1))
        for capability, method in (("insertable", "create"), ("updatable", "patch"), ("deletable", "delete")):
            was, now = getattr(s0, capability), getattr(s1, capability)
            self._flag(
                f"{s0.name}/{capability}",
                [f"client.{s1.accessor}.{method}"],
                was,
                now,
                "entity-set-capability-added",
                "entity-set-capability-removed",
            )
        patch = dict(s0.patch)
        for name in sorted(set(s0.non_updatable) ^ set(s1.non_updatable)):
            frozen = name in s1.non_updatable
            python = [f"{s0.class_name}.patch({patch[name]}=)"] if frozen and name in patch else [s1.class_name]
            kind = "entity-set-property-frozen" if frozen else "entity-set-property-unfrozen"
            self.add(kind, f"{s0.name}/{name}", python)

    def _singleton(self, name: str, g0: SingletonSurface | None, g1: SingletonSurface | None) -> None:
        self._element("singleton", name, g0, g1, lambda g: [f"client.{g.accessor}"])
        if g0 and g1 and g0.type != g1.type:
            self.add("singleton-type-changed", name, [f"client.{g1.accessor}"], g0.type, g1.type)
        if g0 and g1 and g0.accessor != g1.accessor:
            self.add("python-name-changed", name, [f"client.{g0.accessor}"], g0.accessor, g1.accessor)

    def _import(self, name: str, i0: ImportSurface | None, i1: ImportSurface | None) -> None:
        self._element("operation-import", name, i0, i1, lambda i: i.methods)
        if i0 and i1 and (i0.operation, i0.entity_set) != (i1.operation, i1.entity_set):
            self.add("operation-import-changed", name, i1.methods, _target(i0), _target(i1))
        if i0 and i1 and not self._moved(i0.methods) <= set(i1.methods):
            self._renamed(name, self._moved(i0.methods), i1.methods)

    def _type_definition(self, path: str, d0: TypeDefinitionSurface | None, d1: TypeDefinitionSurface | None) -> None:
        self._element("type-definition", path, d0, d1, lambda d: ())
        if d0 and d1:
            self._retyped("type-definition-type", path, (), d0.underlying_type, d1.underlying_type)
            self._bound("max-length", path, (), d0.max_length, d1.max_length)

    # -- structured types -----------------------------------------------------

    def _type(self, path: str, t0: TypeSurface | None, t1: TypeSurface | None) -> None:
        self._element("type", path, t0, t1, lambda t: [t.python])
        if t0 is None or t1 is None:
            return
        python = [t1.python]
        if t0.python != t1.python:
            self._renamed(path, [t0.python], [t1.python])
        if t0.kind != t1.kind:
            self.add("type-kind-changed", path, python, t0.kind, t1.kind)
        if t0.base_type != t1.base_type:
            self.add("base-type-changed", path, python, t0.base_type, t1.base_type)
        self._flag(path, python, t0.abstract, t1.abstract, "type-made-abstract", "type-made-concrete")
        self._flag(path, python, t0.open_type, t1.open_type, "type-opened", "type-closed")
        if t0.key != t1.key:
            sets = [f"client.{s.accessor}" for s in self.new.entity_sets if s.entity_type == path]
            self.add("key-changed", path, python + sets, ",".join(t0.key), ",".join(t1.key))
        for name, p0, p1 in _pairs(t0.properties, t1.properties, lambda p: p.name):
            self._property(f"{path}/{name}", t0, t1, p0, p1)
        for name, n0, n1 in _pairs(t0.navigations, t1.navigations, lambda n: n.name):
            self._navigation(f"{path}/{name}", t0, t1, n0, n1)

    def _patch_names(self, owner: str, wire: str) -> list[str]:
        """The patch parameters of a property, old and new: on its type's item class, and on every set of a type
        inheriting it."""
        found = []
        for types, patches in ((self.old_types, self.old_patches), (self.new_types, self.new_patches)):
            t = types.get(owner)
            if t and t.item_class and wire in dict(t.item_patch):
                found.append(f"{t.item_class}.patch({dict(t.item_patch)[wire]}=)")
            found += [f"{name}.patch({patch[wire]}=)" for name, patch in patches.get(owner, ()) if wire in patch]
        return found

    def _property(
        self, path: str, t0: TypeSurface, t1: TypeSurface, p0: PropertySurface | None, p1: PropertySurface | None
    ) -> None:
        if p0 is None and p1 is not None:
            kind = "required-property-added" if p1.required else "property-added"
            self.add(kind, path, [f"{t1.python}.{p1.attribute}", *self._patch_names(t1.qualified_name, p1.name)])
        elif p1 is None and p0 is not None:
            self.add(
                "property-removed",
                path,
                [f"{t0.python}.{p0.attribute}", *self._patch_names(t0.qualified_name, p0.name)],
            )
        if p0 is None or p1 is None or p0 == p1:  # most properties: unchanged, nothing to name
            return
        python = [f"{t1.python}.{p1.attribute}"]
        if p0.attribute != p1.attribute:
            self._renamed(path, [f"{t0.python}.{p0.attribute}"], python)
        writers = python + self._patch_names(t0.qualified_name, p0.name)
        self._retyped("property-type", path, python, p0.type, p1.type)
        if p0.collection != p1.collection:
            self.add("property-collection-changed", path, python, p0.collection, p1.collection)
        self._flag(path, python, p0.nullable, p1.nullable, "property-made-nullable", "property-made-non-nullable")
        self._bound("max-length", path, writers, p0.max_length, p1.max_length)
        self._bound("precision", path, writers, p0.precision, p1.precision)
        self._scale(path, writers, p0.scale, p1.scale)
        self._allowed(path, writers, p0.allowed_values, p1.allowed_values)
        read_only = (p0.computed or p0.immutable, p1.computed or p1.immutable)
        self._flag(path, writers, *read_only, "property-made-read-only", "property-made-editable")

    def _scale(self, path: str, python: list[str], old: str | None, new: str | None) -> None:
        if old == new:
            return
        if old is not None and new is not None and old.isdigit() and new.isdigit():
            self._bound("scale", path, python, int(old), int(new))
        else:  # "variable" or "floating" accept any scale: changing to them raises it, away from them lowers it
            raised = new in ("variable", "floating") or new is None
            self.add("scale-raised" if raised else "scale-lowered", path, python, old, new)

    def _allowed(self, path: str, python: list[str], old: tuple[str, ...], new: tuple[str, ...]) -> None:
        if old and not new:
            self.add("allowed-values-unrestricted", path, python, ", ".join(old), None)
        elif new and not old:
            self.add("allowed-values-restricted", path, python, None, ", ".join(new))
        else:
            for value in sorted(set(old) - set(new)):
                self.add("allowed-value-removed", path, python, value, None)
            for value in sorted(set(new) - set(old)):
                self.add("allowed-value-added", path, python, None, value)

    def _navigation(
        self, path: str, t0: TypeSurface, t1: TypeSurface, n0: NavigationSurface | None, n1: NavigationSurface | None
    ) -> None:
        self._element("navigation", path, n0, n1, lambda n: [f"{(t1 if n is n1 else t0).python}.{n.attribute}"])
        if n0 is None or n1 is None:
            return
        python = [f"{t1.python}.{n1.attribute}"]
        if n0.attribute != n1.attribute:
            self._renamed(path, [f"{t0.python}.{n0.attribute}"], python)
        if n0.target != n1.target:
            self.add("navigation-target-changed", path, python, n0.target, n1.target)
        if n0.collection != n1.collection:
            self.add("navigation-collection-changed", path, python, n0.collection, n1.collection)
        self._flag(path, python, n0.nullable, n1.nullable, "navigation-made-nullable", "navigation-made-non-nullable")
        if n0.contains_target != n1.contains_target:
            self.add("navigation-containment-changed", path, python, n0.contains_target, n1.contains_target)

    # -- enums ---------------------------------------------------------------

    def _enum(self, path: str, e0: EnumSurface | None, e1: EnumSurface | None) -> None:
        self._element("enum", path, e0, e1, lambda e: [e.python])
        if e0 is None or e1 is None:
            return
        python = [e1.python]
        if e0.python != e1.python:
            self._renamed(path, [e0.python], python)
        if e0.flags != e1.flags:
            self.add("enum-flags-changed", path, python, e0.flags, e1.flags)
        if e0.underlying_type != e1.underlying_type:
            self.add("enum-underlying-type-changed", path, python, e0.underlying_type, e1.underlying_type)
        for name, m0, m1 in _pairs(e0.members, e1.members, lambda m: m.name):
            where = f"{path}/{name}"
            self._element("enum-member", where, m0, m1, lambda m: [f"{(e1 if m is m1 else e0).python}.{m.python}"])
            if m0 and m1 and m0.value != m1.value:
                self.add("enum-member-value-changed", where, [f"{e1.python}.{m1.python}"], m0.value, m1.value)
            if m0 and m1 and m0.python != m1.python:
                self._renamed(where, [f"{e0.python}.{m0.python}"], [f"{e1.python}.{m1.python}"])

    # -- operations ----------------------------------------------------------

    def _operations(self) -> None:
        old, new = _by_key(self.old.operations), _by_key(self.new.operations)
        for key in sorted(old.keys() | new.keys()):
            before, after = old.get(key, []), new.get(key, [])
            if len(before) == 1 and len(after) == 1:  # one overload each side: the same operation, changed
                self._operation(before[0], after[0])
                continue
            for signature, o0, o1 in _pairs(before, after, lambda o: o.signature):
                if o0 is not None and o1 is not None:
                    self._operation(o0, o1)
                else:
                    self._element("operation", f"{key}({signature})", o0, o1, lambda o: o.methods)

    def _operation(self, o0: OperationSurface, o1: OperationSurface) -> None:
        path, python = _path(o1), o1.methods
        # An unbound operation's methods are its imports', whose renames the imports report.
        if o0.binding is not None and not set(o0.methods) <= set(o1.methods):
            self._renamed(path, o0.methods, o1.methods)
        if o0.kind != o1.kind:
            self.add("operation-kind-changed", path, python, o0.kind, o1.kind)
        self._flag(
            path, python, o0.composable, o1.composable, "operation-made-composable", "operation-made-non-composable"
        )
        for name, a0, a1 in _pairs(o0.parameters, o1.parameters, lambda a: a.name):
            self._parameter(f"{path}/{name}", python, a0, a1)
        self._retyped("return-type", path, python, o0.return_type, o1.return_type)
        if o0.return_type and o1.return_type:
            if o0.return_collection != o1.return_collection:
                self.add("return-collection-changed", path, python, o0.return_collection, o1.return_collection)
            self._flag(
                path, python, o0.return_nullable, o1.return_nullable, "return-made-nullable", "return-made-non-nullable"
            )

    def _parameter(
        self, path: str, python: tuple[str, ...], a0: ParameterSurface | None, a1: ParameterSurface | None
    ) -> None:
        self._element("parameter", path, a0, a1, lambda a: python)
        if a0 is None or a1 is None:
            return
        self._retyped("parameter-type", path, python, a0.type, a1.type)
        if a0.collection != a1.collection:
            self.add("parameter-collection-changed", path, python, a0.collection, a1.collection)
        self._flag(path, python, a0.nullable, a1.nullable, "parameter-made-nullable", "parameter-made-non-nullable")


def _target(i: ImportSurface) -> str:
    return f"{i.operation} in {i.entity_set}" if i.entity_set else i.operation


def _by_key(operations: Iterable[OperationSurface]) -> dict[str, list[OperationSurface]]:
    found: dict[str, list[OperationSurface]] = {}
    for o in operations:
        found.setdefault(o.key, []).append(o)
    return found


def _path(o: OperationSurface) -> str:
    return f"{o.key}({o.signature})"


def _set_patches(surface: Surface, types: Mapping[str, TypeSurface]) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Type -> (class, wire name -> patch parameter) of each entity set whose type is it or derives from it.
    Sets x inheritance depth entries: the codec bounds the depth of a stored surface."""
    index: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for s in surface.entity_sets:
        patch = dict(s.patch)
        for t in _lineage(s.entity_type, types):
            index.setdefault(t, []).append((s.class_name, patch))
    return index


def _lineage(qualified: str, types: Mapping[str, TypeSurface]) -> set[str]:
    """The type and its bases; a cycle (possible in a hostile stored surface) ends the walk."""
    seen: set[str] = set()
    current: str | None = qualified
    while current is not None and current not in seen:
        seen.add(current)
        t = types.get(current)
        current = t.base_type if t else None
    return seen
