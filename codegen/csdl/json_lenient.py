"""CSDL JSON's deviations, each a warning as lenient.py makes them for XML, located by JSONPath.

The same service published in JSON deviates the way its XML does: a keyword CSDL JSON does not define for
that element (the XML reader's attribute the schema does not allow), names with surrounding spaces, keywords
in the wrong case (`"$SRID": "Variable"`). Each is read as lenient.py reads it, and reported once by kind.
`annotation_places` lists every annotation and annotations target of a document, for the term and target
checks annotation_checks.py runs on XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .identifiers import shown
from .lenient import NAME_ATTRIBUTES
from .warning_log import WarningLog
from .xsd_attributes import ALLOWED_ATTRIBUTES

# CSDL JSON keywords with no XML attribute of the same name (child elements, or JSON's own forms).
_JSON_ONLY: dict[str, tuple[str, ...]] = {
    "Schema": ("$Annotations",),
    "EntityType": ("$Kind", "$Key"),
    "ComplexType": ("$Kind",),
    "Property": ("$Kind", "$Collection"),
    "NavigationProperty": ("$Kind", "$Collection", "$ReferentialConstraint", "$OnDelete"),
    "EnumType": ("$Kind",),
    "TypeDefinition": ("$Kind",),
    "Action": ("$Kind", "$Parameter", "$ReturnType"),
    "Function": ("$Kind", "$Parameter", "$ReturnType"),
    "Parameter": ("$Collection",),
    "ReturnType": ("$Collection",),
    "EntityContainer": ("$Kind",),
    "EntitySet": ("$Collection", "$Type", "$NavigationPropertyBinding"),
    "Singleton": ("$NavigationPropertyBinding",),
    "Reference": ("$Include", "$IncludeAnnotations"),
}
_PLAIN_KEY = re.compile(r"[$@]?[A-Za-z_][A-Za-z0-9_]*")
_NAME_KEYWORDS = frozenset(f"${name}" for name in NAME_ATTRIBUTES)
# The document's own keywords; the reader checks their values itself.
_DOCUMENT_KEYWORDS = frozenset({"$Version", "$EntityContainer", "$Reference"})


def child(at: str, key: str | int) -> str:
    """The JSONPath of a member or item below `at`: `$.Ns.Type`, `$['Dotted.Ns']`, `$.Ns.Op[0]`."""
    if isinstance(key, int):
        return f"{at}[{key}]"
    return f"{at}.{key}" if _PLAIN_KEY.fullmatch(key) else f"{at}[{shown(key)}]"


def _allowed(kind: str) -> frozenset[str]:
    return frozenset(f"${name}" for name in ALLOWED_ATTRIBUTES.get(kind, ())) | frozenset(_JSON_ONLY.get(kind, ()))


_ALLOWED = {kind: _allowed(kind) for kind in {*ALLOWED_ATTRIBUTES, *_JSON_ONLY}}


class JsonLeniency:
    """The warnings of one CSDL JSON file: `where(at)` is how they name a place (`file:$.Ns.Type`)."""

    def __init__(self, path: str, log: WarningLog) -> None:
        self.path = path
        self.log = log
        self._trimmed_at: set[str] = set()

    def where(self, at: str) -> str:
        return f"{self.path}:{at}"

    def keywords(self, body: dict[str, Any], kind: str, at: str) -> None:
        """Warn about each `$keyword` CSDL JSON does not define for a `kind` element; it is ignored."""
        allowed = _ALLOWED.get(kind, frozenset())
        for key in body:
            if key.startswith("$") and key not in allowed and not (kind == "Document" and key in _DOCUMENT_KEYWORDS):
                self.log.add(
                    f"{kind} has {shown(key)}, which CSDL JSON does not define for it; it is ignored",
                    self.where(at),
                    None,
                    key=f"keyword:{kind}:{key}",
                )

    def name(self, value: str, what: str, at: str) -> str:
        """A name without surrounding spaces, as lenient.py trims XML's names."""
        trimmed = value.strip()
        if trimmed != value and at not in self._trimmed_at:
            # A schema's $Alias is read twice (once to resolve names, once to build it): one warning for it.
            self._trimmed_at.add(at)
            self.log.add(
                f"{what} {shown(value)} has surrounding spaces; read as {shown(trimmed)}", self.where(at), None
            )
        return trimmed

    def keyword_value(self, key: str, value: str, keywords: tuple[str, ...], at: str) -> None:
        """`"$SRID": "Variable"`: read as `variable`, which is how CSDL spells it, with a warning."""
        if value.lower() in keywords and value not in keywords:
            self.log.add(
                f"{key} is {shown(value)}; CSDL spells it {value.lower()!r}, read as that",
                self.where(at),
                None,
                key=f"keyword:{key}:{value}",
            )


def is_name_keyword(key: str) -> bool:
    """A keyword whose value is a name or path (`$Type`, `$BaseType`, ...), trimmed like XML's."""
    return key in _NAME_KEYWORDS


def annotation_places(root: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """("term", term, JSONPath) for every annotation in the document, ("target", target, JSONPath) for every
    `$Annotations` target. Iterative: the document's depth is bounded, but a check must not recurse. A path is
    only written for a place that is yielded or descended into (most values are strings and booleans)."""
    pending: list[tuple[Any, str]] = [(value, child("$", key)) for key, value in root.items() if key != "$Reference"]
    while pending:
        value, at = pending.pop()
        if isinstance(value, list):
            pending.extend((item, child(at, index)) for index, item in enumerate(value) if _nested(item))
            continue
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            terms = _terms(key)
            if not terms and not _nested(item):
                continue
            key_at = child(at, key)
            if key == "$Annotations" and isinstance(item, dict):
                for target, target_annotations in item.items():
                    yield "target", target, child(key_at, target)
                    pending.append((target_annotations, child(key_at, target)))
                continue
            for term in terms:
                yield "term", term, key_at
            if _nested(item):
                pending.append((item, key_at))


def _nested(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _terms(key: str) -> list[str]:
    """The terms of an annotation key: `@T`, `@T#Q`, `Member@T`, `@T@Nested` (annotated annotation)."""
    if "@" not in key:
        return []
    found = []
    for part in key.split("@")[1:]:
        term = part.partition("#")[0]
        # `@type` names a record's type and `@odata.*` is control information: neither is a term.
        if term and term != "type" and not term.startswith("odata."):
            found.append(term)
    return found
