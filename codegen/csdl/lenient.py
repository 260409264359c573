"""Deviations from the CSDL XML schema that real services publish: each is a warning, not a refusal.

The tree is normalised in place (surrounding spaces trimmed from names), so the reader that follows sees
standard CSDL. What stays an error is what could change the meaning of the generated code or is unsafe.
"""

from __future__ import annotations

from lxml import etree

from .identifiers import shown
from .warning_log import WarningLog
from .xml import EDM_V4, EDMX_V4
from .xsd_attributes import ALLOWED_ATTRIBUTES, NO_ATTRIBUTES

# Attributes that hold names or paths: `Term="Org.OData.Publication.V1.ImageUrl "` is read without the space.
NAME_ATTRIBUTES = frozenset(
    (
        "Action Alias BaseType EntitySet EntityType Function Name Namespace Partner Path Property Qualifier "
        "ReferencedProperty Target Term Type UnderlyingType"
    ).split()
)
# Keywords edm.xsd spells in lower case; services write `SRID="Variable"`, which the reader takes as `variable`.
_KEYWORDS = {"SRID": ("variable",), "Scale": ("variable", "floating"), "MaxLength": ("max",)}


def normalise(root: etree._Element, path: str, log: WarningLog) -> None:
    """Warn about each kind of deviation in the tree under `root`, trimming spaces around names."""
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        namespace, _, local = tag[1:].partition("}")
        if namespace not in (EDM_V4, EDMX_V4):
            continue
        for name, value in list(element.attrib.items()):
            _check_attribute(element, local, str(name), str(value), path, log)


def _check_attribute(element: etree._Element, local: str, name: str, value: str, path: str, log: WarningLog) -> None:
    line = element.sourceline
    if name.startswith("{"):
        namespace = name[1:].partition("}")[0]
        log.add(
            f"<{local}> has attribute {shown(_prefixed(element, name))} in foreign namespace {shown(namespace)}, "
            "which the CSDL schema does not allow; attributes of that namespace are ignored",
            path,
            line,
            key=f"foreign:{namespace}",
        )
        return
    allowed = ALLOWED_ATTRIBUTES.get(local, frozenset() if local in NO_ATTRIBUTES else None)
    if allowed is not None and name not in allowed:
        log.add(
            f"<{local}> has attribute {shown(name)}, which the CSDL schema does not allow; it is ignored",
            path,
            line,
            key=f"attribute:{local}:{name}",
        )
    if name in NAME_ATTRIBUTES and value != value.strip():
        element.set(name, value.strip())
        log.add(f"<{local}> {name}={shown(value)} has surrounding spaces; read as {shown(value.strip())}", path, line)
    keywords = _KEYWORDS.get(name, ())
    if value.lower() in keywords and value not in keywords:
        log.add(
            f"<{local}> {name}={shown(value)}; the CSDL schema spells it {value.lower()!r}, read as that",
            path,
            line,
            key=f"keyword:{name}:{value}",
        )


def _prefixed(element: etree._Element, name: str) -> str:
    """`sap:label` for `{http://www.sap.com/Protocols/SAPData}label`, as the document writes it."""
    namespace, _, local = name[1:].partition("}")
    prefix = next((p for p, uri in element.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{local}" if prefix else local
