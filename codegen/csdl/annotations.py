"""Vocabulary annotations: a generic reader for annotation values, and the terms we act on."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from .limits import MAX_ANNOTATION_ITEMS
from .model import AllowedValue, Deprecation, Documentation
from .xml import EDM_V4

CORE = "Org.OData.Core.V1"
CAPABILITIES = "Org.OData.Capabilities.V1"
VALIDATION = "Org.OData.Validation.V1"

_ANNOTATION = f"{{{EDM_V4}}}Annotation"
_INT = re.compile(r"\s*-?[0-9]{1,19}\s*")


class InvalidAnnotation(ValueError):
    """An annotation value that is not what its form says (`Int="²"`); the parser adds the file."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


def _int(text: str) -> int:
    # int() alone takes "²", "١٢", "1_000" and 4,000-digit numbers.
    if not _INT.fullmatch(text):
        raise ValueError(text)
    return int(text)


_CONSTANT_ATTRIBUTES: dict[str, Callable[[str], Any]] = {
    "String": str,
    "Bool": lambda text: text.strip() == "true",
    "Int": _int,
    "Decimal": str,
    "Float": str,
    "EnumMember": str,
    "Path": str,
    "PropertyPath": str,
    "NavigationPropertyPath": str,
    "AnnotationPath": str,
    "Date": str,
    "DateTimeOffset": str,
    "Guid": str,
    "TimeOfDay": str,
    "Duration": str,
    "Binary": str,
}


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def read_value(element: etree._Element, qualify: Callable[[str], str]) -> Any:
    """The value of an Annotation or PropertyValue: attribute form or element form.

    Records become dicts (nested annotations keyed "@Term"), collections lists,
    constants Python scalars; an annotation with no value is the Tag value True.
    """
    for name, convert in _CONSTANT_ATTRIBUTES.items():
        text = element.get(name)
        if text is not None:
            return _converted(convert, text, name, element)
    for child in element:
        if _local(child) != "Annotation":
            return _read_expression(child, qualify)
    return True


def _read_expression(element: etree._Element, qualify: Callable[[str], str]) -> Any:
    kind = _local(element)
    if kind == "Collection":
        items = [child for child in element if isinstance(child.tag, str)]
        # AllowedValues are written into the generated client; formatting them costs about 0.3 ms each.
        if len(items) > MAX_ANNOTATION_ITEMS:
            message = f"an annotation collection has more than the limit of {MAX_ANNOTATION_ITEMS} items (MAX_ANNOTATION_ITEMS)"
            raise InvalidAnnotation(message, element.sourceline)
        return [_read_expression(child, qualify) for child in items]
    if kind == "Record":
        record: dict[str, Any] = {}
        for child in element:
            if _local(child) == "PropertyValue":
                record[child.get("Property", "")] = read_value(child, qualify)
            elif _local(child) == "Annotation":
                record["@" + qualify(child.get("Term", ""))] = read_value(child, qualify)
        return record
    if kind in _CONSTANT_ATTRIBUTES:
        return _converted(_CONSTANT_ATTRIBUTES[kind], element.text or "", kind, element)
    # Dynamic expressions ($If, $Apply, ...) carry no value the generator uses.
    return None


def _converted(convert: Callable[[str], Any], text: str, kind: str, element: etree._Element) -> Any:
    try:
        return convert(text)
    except ValueError:
        shown = repr(text if len(text) <= 60 else text[:60] + "...")
        raise InvalidAnnotation(
            f"annotation value {kind} {shown} is not a valid {kind} constant", element.sourceline
        ) from None


def read_annotations(element: etree._Element, qualify: Callable[[str], str]) -> dict[str, Any]:
    """The inline annotations on `element`, keyed by qualified term (qualifiers ignored)."""
    found: dict[str, Any] = {}
    for child in element.iterchildren(_ANNOTATION):
        if child.get("Qualifier") is None:
            found[qualify(child.get("Term", ""))] = read_value(child, qualify)
    return found


def documentation(annotations: dict[str, Any]) -> Documentation:
    if not annotations:
        return Documentation()
    allowed = annotations.get(f"{VALIDATION}.AllowedValues")
    if not isinstance(allowed, list):  # a hostile document can give any value form here
        allowed = []
    return Documentation(
        description=_text(annotations.get(f"{CORE}.Description")),
        long_description=_text(annotations.get(f"{CORE}.LongDescription")),
        computed=annotations.get(f"{CORE}.Computed") is True,
        immutable=annotations.get(f"{CORE}.Immutable") is True,
        allowed_values=tuple(
            AllowedValue(value=item.get("Value"), description=_text(item.get(f"@{CORE}.Description")))
            for item in allowed
            if isinstance(item, dict)
        ),
        deprecated=deprecation(annotations.get(f"{CORE}.Revisions")),
    )


def deprecation(revisions: Any) -> Deprecation | None:
    """The first `Core.Revisions` entry whose Kind is `Deprecated`, or None.

    XML writes the Kind as an enum member path (`Core.RevisionKind/Deprecated`, alias or namespace), JSON as the
    member name alone; any other value form a hostile document gives is not a deprecation.
    """
    for item in revisions if isinstance(revisions, list) else ():
        if isinstance(item, dict) and _is_deprecated_kind(item.get("Kind")):
            return Deprecation(description=_text(item.get("Description")), version=_text(item.get("Version")))
    return None


def _is_deprecated_kind(kind: Any) -> bool:
    if not isinstance(kind, str):
        return False
    enum, _, member = kind.strip().rpartition("/")
    return member == "Deprecated" and (not enum or enum.rpartition(".")[2] == "RevisionKind")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def restriction(annotations: dict[str, Any], term: str, flag: str) -> bool:
    """Capabilities restrictions default to allowed when absent."""
    record = annotations.get(f"{CAPABILITIES}.{term}")
    return not (isinstance(record, dict) and record.get(flag) is False)


def non_updatable_properties(annotations: dict[str, Any]) -> tuple[str, ...]:
    record = annotations.get(f"{CAPABILITIES}.UpdateRestrictions")
    paths = record.get("NonUpdatableProperties") if isinstance(record, dict) else None
    return tuple(p for p in paths if isinstance(p, str)) if isinstance(paths, list) else ()


def concurrency_properties(annotations: dict[str, Any]) -> tuple[str, ...]:
    paths = annotations.get(f"{CORE}.OptimisticConcurrency")
    return tuple(p for p in paths or () if isinstance(p, str)) if isinstance(paths, list) else ()
