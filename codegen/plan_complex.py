"""Which complex types get request classes: those an operation is bound to, and those a path to one passes.

An operation bound to a complex type is invoked on a path ending in a property of that type:
`People('x')/HomeAddress/NS.Op`, `People('x')/Info/Address/NS.Op` through a complex property, or
`People('x')/AddressInfo/NS.Op` for one bound to `Collection(NS.Location)`. A complex type therefore gets an
item class (a single-valued property) when it, a base type or a type derived from it (reached by a cast) has
operations bound to it, or when one of its single-valued properties leads to such a class (or a collection-
valued one to a collection class); it gets a collection class when operations are bound to a collection of
it, of a base or of a derived type. Item classes of entity types then get an accessor for every property of
theirs leading to one of these classes.

Documents without such operations (all of Microsoft Graph v1.0's 1,181 bound operations bind to entity types)
stop at the first loop: no class, no accessor, no change in their output.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .csdl.model import Operation, Property, StructuredType, lineage


@attrs.frozen
class ComplexReach:
    """The complex types that get an item or a collection class, and the operations bound to each."""

    items: frozenset[str]
    collections: frozenset[str]
    item_bound: dict[str, list[Operation]]  # binding type -> the operations bound to one value of it
    collection_bound: dict[str, list[Operation]]  # binding type -> those bound to a collection of it

    def leads_somewhere(self, p: Property) -> bool:
        """Whether the property gets an accessor: its type has the class its collection-ness needs."""
        return p.type.name in (self.collections if p.type.collection else self.items)


NOWHERE = ComplexReach(frozenset(), frozenset(), {}, {})


def complex_reach(structured: dict[str, StructuredType], operations: Iterable[Operation]) -> ComplexReach:
    """What the module text describes, in time linear in types and properties (a worklist, no fixpoint loop)."""
    item_bound: dict[str, list[Operation]] = {}
    collection_bound: dict[str, list[Operation]] = {}
    for o in operations:
        binding = o.parameters[0].type if o.bound and o.parameters else None
        if binding is not None and _kind(structured, binding.name) == "complex":
            (collection_bound if binding.collection else item_bound).setdefault(binding.name, []).append(o)
    if not item_bound and not collection_bound:
        return NOWHERE
    family = _Family(structured)
    collections = family.close(collection_bound)
    # Complex types whose own properties lead to `name`: (single-valued ones, collection-valued ones).
    owners: dict[str, tuple[list[str], list[str]]] = {}
    for t in structured.values():
        if t.kind == "complex":
            for p in t.properties:
                if _kind(structured, p.type.name) == "complex":
                    owners.setdefault(p.type.name, ([], []))[p.type.collection].append(t.qualified_name)
    items: set[str] = set()
    expanded: set[str] = set()  # closed once each: a type many properties lead to is not walked again
    pending = list(item_bound) + [o for c in collections for o in owners.get(c, ([], []))[1]]
    while pending:
        name = pending.pop()
        if name in expanded:
            continue
        expanded.add(name)
        for reached in family.close([name]) - items:
            items.add(reached)
            pending += owners.get(reached, ([], []))[0]
    return _reachable(structured, family, items, collections, item_bound, collection_bound)


def _reachable(
    structured: dict[str, StructuredType],
    family: _Family,
    items: set[str],
    collections: set[str],
    item_bound: dict[str, list[Operation]],
    collection_bound: dict[str, list[Operation]],
) -> ComplexReach:
    """Of the classes found, those a path from an entity reaches (a property, then casts and properties of
    complex values): an operation bound to a complex type only ever returned, or a base type no property
    names, gets no class."""
    reached_items: set[str] = set()
    reached_collections: set[str] = set()
    pending = [p for t in structured.values() if t.kind == "entity" for p in t.properties]
    while pending:
        p = pending.pop()
        pool, reached = (collections, reached_collections) if p.type.collection else (items, reached_items)
        if p.type.name not in pool or p.type.name in reached:
            continue
        for name in family.below(p.type.name) & pool - reached:  # the type, and what a cast leads to
            reached.add(name)
            if pool is items:
                pending += [q for t in lineage(structured, name) for q in t.properties]
    return ComplexReach(frozenset(reached_items), frozenset(reached_collections), item_bound, collection_bound)


def _kind(structured: dict[str, StructuredType], name: str) -> str | None:
    found = structured.get(name)
    return found.kind if found is not None else None


class _Family:
    """A type with the types derived from it (which inherit its operations and properties) and its base types
    (from which a cast reaches it)."""

    def __init__(self, structured: dict[str, StructuredType]):
        self._structured = structured
        self._derived: dict[str, list[str]] = {}
        for t in structured.values():
            if t.base_type is not None:
                self._derived.setdefault(t.base_type, []).append(t.qualified_name)

    def below(self, name: str) -> set[str]:
        """The type and those derived from it."""
        found: set[str] = set()
        pending = [name]
        while pending:  # inheritance is a tree (validate.py refused cycles): each type is seen once
            current = pending.pop()
            found.add(current)
            pending += self._derived.get(current, [])
        return found

    def close(self, names: Iterable[str]) -> set[str]:
        """The types, those derived from them and their base types."""
        found: set[str] = set()
        for name in names:
            found |= self.below(name)
            base = self._structured[name].base_type
            while base is not None and base not in found:
                found.add(base)
                base = self._structured[base].base_type
        return found
