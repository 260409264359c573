"""Annotations that name an unknown term or target: warnings, since the generator reads only a few terms.

A term or target in a namespace whose document is not at hand (an unresolved reference) is not checked:
that reference was already reported once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from .identifiers import shown
from .model import EntitySet, OperationImport, Schema, Singleton, StructuredType
from .references import Library, LoadedFile
from .warning_log import WarningLog
from .xml import EDM_V4

_ANNOTATION = f"{{{EDM_V4}}}Annotation"
_ANNOTATIONS = f"{{{EDM_V4}}}Annotations"
_OVERLOAD = re.compile(r"\(.*\)$")
_MAX_BASE_LEVELS = 64  # inheritance was not checked yet; a cycle must not loop here


def checker_for(
    path: str, qualify: Callable[[str], str], main: LoadedFile, library: Library, log: WarningLog
) -> AnnotationChecker:
    """The checker of a document's annotations (XML or JSON): its own terms and those it references or
    codegen bundles, its own elements and those of the documents its references brought in."""
    own = frozenset(s.namespace for s in main.schemas)

    def terms_in(namespace: str) -> frozenset[str] | None:
        return main.terms if namespace in own else library.terms_in(namespace)

    checker = AnnotationChecker(
        path, qualify, terms_in, [*main.schemas, *library.loaded_schemas()], library.unresolved, log
    )
    checker.add_terms(main.terms)
    return checker


class AnnotationChecker:
    def __init__(
        self,
        path: str,
        qualify: Callable[[str], str],
        terms_in: Callable[[str], frozenset[str] | None],
        schemas: Iterable[Schema],
        unresolved: Iterable[str],
        log: WarningLog,
    ):
        self.path = path
        self.qualify = qualify
        self.terms_in = terms_in
        self.unresolved = frozenset(unresolved)
        self.log = log
        self.members: dict[str, frozenset[str]] = {}  # target -> the names a second path segment may have
        self.namespaces: set[str] = set()
        schemas = list(schemas)
        structured = {t.qualified_name: t for s in schemas for t in (*s.entity_types, *s.complex_types)}
        for schema in schemas:
            self._index(schema, structured)

    def check(self, root: etree._Element) -> None:
        for element in root.iter(_ANNOTATION):
            self.check_term(element.get("Term", ""), self.path, element.sourceline)
        for element in root.iter(_ANNOTATIONS):
            self.check_target(element.get("Target", ""), self.path, element.sourceline)

    def check_term(self, text: str, path: str, line: int | None) -> None:
        """An annotation's term (as written, alias or namespace) at `path`, `line` (CSDL JSON: a JSONPath, None)."""
        term = self.qualify(text)
        namespace = term.rpartition(".")[0]
        if namespace in self.unresolved:
            return
        terms = self.terms_in(namespace)
        if terms is None:  # one warning for the whole namespace: its terms are all unknown alike
            self.log.add(
                f"annotation term {shown(term)} is unknown: its namespace {shown(namespace)} is neither in the "
                "document, referenced, nor bundled; annotations with its terms are ignored",
                path,
                line,
                key=f"term-namespace:{namespace}",
            )
        elif term not in terms:
            self.log.add(
                f"annotation term {shown(term)} is unknown: vocabulary {shown(namespace)} does not define it; "
                "the annotation is ignored",
                path,
                line,
                key=f"term:{term}",
            )

    def check_target(self, target: str, path: str, line: int | None) -> None:
        head, _, rest = target.partition("/")
        head = self.qualify(_OVERLOAD.sub("", head))  # an overload's parameter types hold dots too
        member = rest.partition("/")[0]
        namespace = head.rpartition(".")[0]
        if head in self.namespaces or namespace in self.unresolved:
            return
        known = self.members.get(head)
        if known is not None and (not member or member in known or _OVERLOAD.sub("", member) in known):
            return
        if known is None and namespace not in self.namespaces:
            problem = f"namespace {shown(namespace)} is not in the document or its references"
        else:
            problem = "the document defines no such element"
        self.log.add(
            f"annotations target {shown(target)} is unknown ({problem}); its annotations are ignored",
            path,
            line,
            key=f"target:{target}",
        )

    def _index(self, schema: Schema, structured: dict[str, StructuredType]) -> None:
        self.namespaces.add(schema.namespace)
        for t in (*schema.entity_types, *schema.complex_types):
            self.members[t.qualified_name] = frozenset(_member_names(t, structured))
        for enum in schema.enum_types:
            self.members[enum.qualified_name] = frozenset(m.name for m in enum.members)
        for typedef in schema.type_definitions:
            self.members[typedef.qualified_name] = frozenset()
        for operation in schema.operations:
            names = {p.name for p in operation.parameters} | {"$ReturnType"}
            self.members[operation.qualified_name] = self.members.get(operation.qualified_name, frozenset()) | names
        for container in schema.containers:
            children: list[EntitySet | Singleton | OperationImport] = [
                *container.entity_sets,
                *container.singletons,
                *container.operation_imports,
            ]
            self.members[f"{container.namespace}.{container.name}"] = frozenset(c.name for c in children)

    def add_terms(self, terms: Iterable[str]) -> None:
        for term in terms:
            self.members.setdefault(term, frozenset())


def _member_names(t: StructuredType, structured: dict[str, StructuredType]) -> set[str]:
    """Members of `t` and of its base types (a target may name an inherited property)."""
    names: set[str] = set()
    current: StructuredType | None = t
    for _ in range(_MAX_BASE_LEVELS):
        if current is None:
            break
        names.update(p.name for p in current.properties)
        names.update(n.name for n in current.navigation_properties)
        current = structured.get(current.base_type) if current.base_type else None
    return names
