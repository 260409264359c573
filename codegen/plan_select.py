"""Selective generation: keep the part of a document that `[select]` (or `--include`/`--exclude`) names.

A pattern is an `fnmatch` glob, case-sensitive, matched against the names of five kinds of things:

- entity sets, singletons and action/function imports by their simple name (`users`, `me`);
- types (entity, complex, enum, type definitions) and actions/functions by their qualified name
  (`microsoft.graph.user`, `microsoft.graph.*`); a name matches every overload of an operation.

`kind:pattern` limits a pattern to one kind: `set:`, `singleton:`, `import:`, `type:`, `operation:`
(`exclude = ["operation:*"]` drops every operation the selection does not require).

With `include`, the roots are what it matches; without, everything. `exclude` removes from the roots and is
never overridden: a kept thing that *requires* an excluded one is an error naming both. What a kept thing
requires, and so is kept too (one worklist pass, linear in the document):

- an entity set or singleton: its entity type; an import: its operation (and its entity set, when not excluded);
- a structured type: its base types and the types of its properties;
- an operation: the types of its parameters and of its return value;
- a type used as a value (the type of a set, singleton, property, parameter or return value): its derived types,
  which responses name in `@odata.type` casts; a type kept only as another's base does not bring its other
  derived types (otherwise every entity derived from Graph's `microsoft.graph.entity` would follow);
- a kept structured type: the operations bound to it, unless excluded.

Navigation targets are not followed (in Graph they reach nearly every type): a navigation property is kept
when its target type is kept for another reason, and left out otherwise; include the target's type or set to
keep it. Navigation bindings are kept when their target set is kept and their property is still generated.

A pattern that matches nothing is an error. `[client] entity_sets` then chooses accessors among the kept sets;
naming a set the selection leaves out is an error, and so is a `[naming] renames` target that was left out.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import attrs

from .csdl.model import Document, EntityContainer, EntitySet, StructuredType
from .errors import SpecError
from .selectors import KIND_NAMES, SHOWN, Pattern
from .spec import Spec


@attrs.frozen
class Selection:
    """What a selection kept, as (kept, total) counts."""

    entity_sets: tuple[int, int]
    singletons: tuple[int, int]
    imports: tuple[int, int]
    types: tuple[int, int]
    operations: tuple[int, int]
    navigation_left_out: int

    def summary(self) -> str:
        parts = [
            f"{kept:,} of {total:,} {what}"
            for what, (kept, total) in (
                ("entity sets", self.entity_sets),
                ("singletons", self.singletons),
                ("imports", self.imports),
                ("types", self.types),
                ("operations", self.operations),
            )
        ]
        left_out = f"; {self.navigation_left_out:,} navigation properties to types left out are not generated"
        return "kept " + ", ".join(parts) + (left_out if self.navigation_left_out else "")


def select_for_spec(document: Document, spec: Spec) -> tuple[Document, Selection | None]:
    """The document pruned to the spec's selection (unchanged without one), checked against the spec's other keys."""
    if not spec.include and not spec.exclude:
        return document, None
    where = str(spec.source) if spec.source else None
    pruned, selection = select(document, spec.include, spec.exclude, where=where)
    kept_sets = {s.name for c in pruned.containers() for s in c.entity_sets}
    for name in spec.entity_sets or ():
        if name not in kept_sets:
            raise SpecError(f"[client] entity_sets names {name!r}, which the selection leaves out", path=where)
    left_out = _rename_targets(document) - _rename_targets(pruned)
    for target in spec.renames:
        if target in left_out:
            raise SpecError(f"[naming] renames target {target!r}, which the selection leaves out", path=where)
    return pruned, selection


def select(
    document: Document, include: Sequence[Pattern], exclude: Sequence[Pattern], *, where: str | None = None
) -> tuple[Document, Selection]:
    """The dependency closure of what `include` names (everything when empty), without what `exclude` names."""
    index = _Index(document)
    excluded = index.matches(exclude, where)
    roots = list(index.matches(include, where)) if include else index.all_items()
    closure = _Closure(index, excluded, where)
    for item in roots:
        if item not in excluded:
            closure.add_root(item)
    closure.run()
    return _pruned(document, closure), _selection(document, index, closure)


_Item = tuple[str, str]  # (kind, name)


class _Index:
    """Every selectable name of a document, and what the closure walks: types, derived types, bound operations."""

    def __init__(self, document: Document):
        self.structured = {t.qualified_name: t for t in document.structured_types()}
        self.other_types = {t.qualified_name for t in document.enum_types()}
        self.other_types |= {t.qualified_name for t in document.type_definitions()}
        self.derived: dict[str, list[str]] = defaultdict(list)
        for t in self.structured.values():
            if t.base_type:
                self.derived[t.base_type].append(t.qualified_name)
        self.operations = [o for s in document.schemas for o in s.operations]
        self.operations_named: dict[str, list[int]] = defaultdict(list)
        self.bound_to: dict[str, list[int]] = defaultdict(list)
        for position, o in enumerate(self.operations):
            self.operations_named[o.qualified_name].append(position)
            if o.bound and o.parameters:
                self.bound_to[o.parameters[0].type.name].append(position)
        containers = document.containers()
        self.sets = {s.name: s for c in containers for s in c.entity_sets}
        self.singletons = {s.name: s for c in containers for s in c.singletons}
        self.imports = {i.name: i for c in containers for i in c.operation_imports}
        self.names: dict[str, Iterable[str]] = {
            "set": self.sets,
            "singleton": self.singletons,
            "import": self.imports,
            "type": [*self.structured, *self.other_types],
            "operation": self.operations_named,
        }
        self._lookup = {kind: set(names) for kind, names in self.names.items()}

    def all_items(self) -> list[_Item]:
        return [(kind, name) for kind, names in self.names.items() for name in names]

    def matches(self, found_in: Sequence[Pattern], where: str | None) -> dict[_Item, Pattern]:
        """Each item a pattern names -> the first such pattern; a pattern that names nothing is an error."""
        matched: dict[_Item, Pattern] = {}
        for pattern in found_in:
            items = self._matching(pattern, where)
            if not items:
                *others, last = [KIND_NAMES[kind] for kind in pattern.kinds]
                what = f"{', '.join(others)} or {last}" if others else last
                message = f"{pattern.option} pattern {pattern.text[:SHOWN]!r} matches no {what} of the metadata"
                raise SpecError(message, path=where, line=pattern.line)
            for item in items:
                matched.setdefault(item, pattern)
        return matched

    def _matching(self, pattern: Pattern, where: str | None) -> list[_Item]:
        if pattern.is_literal:
            return [(kind, pattern.glob) for kind in pattern.kinds if pattern.glob in self._lookup[kind]]
        try:  # fnmatch escapes everything but its wildcards, and its regex does not backtrack exponentially
            regex = re.compile(fnmatch.translate(pattern.glob))
        except re.error as exc:
            message = f"{pattern.option} pattern {pattern.text[:SHOWN]!r} is not a valid glob ({exc})"
            raise SpecError(message, path=where, line=pattern.line) from None
        return [(kind, name) for kind in pattern.kinds for name in self.names[kind] if regex.match(name)]


class _Closure:
    """One worklist pass: each type and operation is expanded once, each derived list walked once."""

    def __init__(self, index: _Index, excluded: dict[_Item, Pattern], where: str | None):
        self.index = index
        self.excluded = excluded
        self.where = where
        self.sets: set[str] = set()
        self.singletons: set[str] = set()
        self.imports: set[str] = set()
        self.types: set[str] = set()
        self.used: set[str] = set()  # types used as values, whose derived types are kept
        self.operations: set[int] = set()
        # (type, used as a value, who needs it: None when optional) or (operation position, who needs it)
        self._types: list[tuple[str, bool, str | None]] = []
        self._operations: list[tuple[int, str | None]] = []

    def add_root(self, item: _Item) -> None:
        kind, name = item
        if kind == "set":
            self.sets.add(name)
            self._types.append((self.index.sets[name].entity_type, True, f"entity set {name}"))
        elif kind == "singleton":
            self.singletons.add(name)
            self._types.append((self.index.singletons[name].type, True, f"singleton {name}"))
        elif kind == "import":
            self._add_import(name)
        elif kind == "type":
            self._types.append((name, True, None))
        else:
            self._operations += [(position, None) for position in self.index.operations_named[name]]

    def _add_import(self, name: str) -> None:
        self.imports.add(name)
        item = self.index.imports[name]
        unbound = [p for p in self.index.operations_named[item.operation] if not self.index.operations[p].bound]
        self._operations += [(position, f"{item.kind} import {name}") for position in unbound]
        target = item.entity_set.rpartition("/")[2] if item.entity_set else None
        if target in self.index.sets and ("set", target) not in self.excluded:
            self.add_root(("set", target))

    def run(self) -> None:
        while self._types or self._operations:
            if self._types:
                self._visit_type(*self._types.pop())
            else:
                self._visit_operation(*self._operations.pop())

    def _require(self, item: _Item, needed_by: str | None) -> bool:
        """Whether an item may be kept; a required one that is excluded is an error."""
        pattern = self.excluded.get(item)
        if pattern is None:
            return True
        if needed_by is None:
            return False
        message = f"{pattern.option} pattern {pattern.text[:SHOWN]!r} leaves out {item[1][:SHOWN]}, which "
        raise SpecError(f"{message}{needed_by[:SHOWN]} needs", path=self.where, line=pattern.line)

    def _visit_type(self, name: str, used: bool, needed_by: str | None) -> None:
        structured = self.index.structured.get(name)
        if structured is None and name not in self.index.other_types:
            return  # a primitive type, or one validate.py already refused
        if not self._require(("type", name), needed_by):
            return
        if used and name not in self.used:
            self.used.add(name)
            self._types += [(derived, True, None) for derived in self.index.derived.get(name, ())]
        if name in self.types:
            return
        self.types.add(name)
        if structured is not None:
            self._expand(structured)

    def _expand(self, t: StructuredType) -> None:
        needed_by = f"type {t.qualified_name}"
        if t.base_type:
            self._types.append((t.base_type, False, needed_by))
        self._types += [(p.type.name, True, needed_by) for p in t.properties]
        self._operations += [(position, None) for position in self.index.bound_to.get(t.qualified_name, ())]

    def _visit_operation(self, position: int, needed_by: str | None) -> None:
        if position in self.operations:
            return
        operation = self.index.operations[position]
        if not self._require(("operation", operation.qualified_name), needed_by):
            return
        self.operations.add(position)
        needed_by = f"operation {operation.qualified_name}"
        self._types += [(p.type.name, True, needed_by) for p in operation.parameters]
        if operation.return_type is not None:
            self._types.append((operation.return_type.name, True, needed_by))


def _rename_targets(document: Document) -> set[str]:
    """What `[naming] renames` may name: structured and enum types, and members of structured types."""
    structured = document.structured_types()
    targets = {t.qualified_name for t in structured} | {t.qualified_name for t in document.enum_types()}
    targets |= {f"{t.qualified_name}/{p.name}" for t in structured for p in t.properties}
    targets |= {f"{t.qualified_name}/{n.name}" for t in structured for n in t.navigation_properties}
    return targets


def _pruned(document: Document, closure: _Closure) -> Document:
    kept_operations = {id(closure.index.operations[p]) for p in closure.operations}
    types = closure.types

    def structured(found: tuple[StructuredType, ...]) -> tuple[StructuredType, ...]:
        return tuple(
            attrs.evolve(t, navigation_properties=tuple(n for n in t.navigation_properties if n.type.name in types))
            for t in found
            if t.qualified_name in types
        )

    schemas = []
    for s in document.schemas:
        kept = attrs.evolve(
            s,
            entity_types=structured(s.entity_types),
            complex_types=structured(s.complex_types),
            enum_types=tuple(t for t in s.enum_types if t.qualified_name in types),
            type_definitions=tuple(t for t in s.type_definitions if t.qualified_name in types),
            operations=tuple(o for o in s.operations if id(o) in kept_operations),
        )
        schemas.append(kept)
    navigation = {n.name for s in schemas for t in (*s.entity_types, *s.complex_types) for n in t.navigation_properties}
    schemas = [
        attrs.evolve(s, containers=tuple(_container(c, closure, navigation) for c in s.containers)) for s in schemas
    ]
    return attrs.evolve(document, schemas=tuple(schemas))


def _container(container: EntityContainer, closure: _Closure, navigation: set[str]) -> EntityContainer:
    def binding_kept(path: str, target: str) -> bool:
        # A target is `[Namespace.Container/]SetOrSingleton[/ContainedNavigation...]`.
        segments = target.split("/")
        head = segments[1] if "." in segments[0] and len(segments) > 1 else segments[0]
        reaches = head in closure.sets or head in closure.singletons
        return (
            reaches and path.rpartition("/")[2] in navigation and (head == segments[-1] or segments[-1] in navigation)
        )

    def bindings(entity_set: EntitySet) -> EntitySet:
        kept = tuple((path, target) for path, target in entity_set.navigation_bindings if binding_kept(path, target))
        return attrs.evolve(entity_set, navigation_bindings=kept)

    imports = []
    for item in container.operation_imports:
        if item.name in closure.imports:
            target = item.entity_set.rpartition("/")[2] if item.entity_set else None
            imports.append(item if target is None or target in closure.sets else attrs.evolve(item, entity_set=None))
    return attrs.evolve(
        container,
        entity_sets=tuple(bindings(s) for s in container.entity_sets if s.name in closure.sets),
        singletons=tuple(s for s in container.singletons if s.name in closure.singletons),
        operation_imports=tuple(imports),
    )


def _selection(document: Document, index: _Index, closure: _Closure) -> Selection:
    kept_types = [index.structured[name] for name in closure.types if name in index.structured]
    left_out = sum(1 for t in kept_types for n in t.navigation_properties if n.type.name not in closure.types)
    return Selection(
        entity_sets=(len(closure.sets), len(index.sets)),
        singletons=(len(closure.singletons), len(index.singletons)),
        imports=(len(closure.imports), len(index.imports)),
        types=(len(closure.types), len(index.structured) + len(index.other_types)),
        operations=(len(closure.operations), len(index.operations)),
        navigation_left_out=left_out,
    )
