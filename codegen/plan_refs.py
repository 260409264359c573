"""Which entity set the links (`$ref`) of a navigation property point into: the set whose canonical URLs
(`People('y')`) are the `@odata.id` values a client sends.

An item class serves its entity type wherever it is reached, so the answer is per type, not per entity set:
the NavigationPropertyBindings of every entity set of the type (or of a base type, through a cast path
`NS.Derived/Nav`) must agree on one target. Without any binding, the one entity set of the target type is
taken (as the sandbox joins it); with none or several, or for a containment navigation (contained entities
have no canonical URL of their own to link), the navigation gets no link methods.
"""

from __future__ import annotations

from collections.abc import Iterable

from .csdl.model import EntitySet, NavigationProperty, StructuredType

__all__ = ["RefTargets"]


class RefTargets:
    """Answers `target(lineage, navigation)` from the entity sets of one document."""

    def __init__(self, entity_sets: Iterable[EntitySet]) -> None:
        sets = list(entity_sets)
        self._names = {s.name for s in sets}
        self._by_type: dict[str, list[str]] = {}
        # (entity type of a set, binding path) -> the targets bound: one lookup per (type, path) asked, however
        # many sets and bindings a hostile document declares.
        self._bound: dict[tuple[str, str], set[str | None]] = {}
        for entity_set in sets:
            self._by_type.setdefault(entity_set.entity_type, []).append(entity_set.name)
            for path, target in entity_set.navigation_bindings:
                self._bound.setdefault((entity_set.entity_type, path), set()).add(self._set_name(target))

    def target(self, lineage: list[StructuredType], navigation: NavigationProperty) -> str | None:
        """The entity set name, or None when links of `navigation` cannot be addressed (see the module text).

        `lineage` is the entity type first, then its base types: the type that declares `navigation` is one.
        """
        if navigation.contains_target:
            return None
        types = {t.qualified_name for t in lineage}
        paths = {navigation.name} | {f"{t}/{navigation.name}" for t in types}
        found = {target for t in types for path in paths for target in self._bound.get((t, path), ())}
        if not found:
            candidates = self._by_type.get(navigation.type.name, [])
            found = {candidates[0]} if len(candidates) == 1 else set()
        return found.pop() if len(found) == 1 and None not in found else None

    def _set_name(self, target: str) -> str | None:
        """`People`, or `NS.Container/People` (a set of another container); None for a path into a
        containment or anything that names no entity set."""
        container, slash, name = target.rpartition("/")
        if slash and "." not in container:
            return None
        return name if name in self._names else None
