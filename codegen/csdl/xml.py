"""Reading XML safely: no DTDs, no entities, no network, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import MetadataError
from .limits import MAX_DOCUMENT_BYTES, MAX_ELEMENT_DEPTH, MAX_ELEMENTS
from .warning_log import WarningLog

EDMX_V4 = "http://docs.oasis-open.org/odata/ns/edmx"
EDM_V4 = "http://docs.oasis-open.org/odata/ns/edm"
# EDMX 1.0, used by OData V1-V3 services.
EDMX_V1 = "http://schemas.microsoft.com/ado/2007/06/edmx"
_UTF8_BOM = b"\xef\xbb\xbf"


def _secure_parser() -> etree.XMLParser:
    # Entities are never expanded and nothing is fetched, so an XXE or a
    # "billion laughs" document cannot reach the file system, the network or
    # our memory; a DOCTYPE is then rejected outright below.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _line_of(data: bytes, needle: bytes) -> int | None:
    offset = data.find(needle)
    return None if offset < 0 else data.count(b"\n", 0, offset) + 1


def read_xml(path: Path, log: WarningLog | None = None) -> etree._Element:
    """Parse `path` and return its root element, or raise MetadataError; deviations go to `log`."""
    data = read_bounded(path)
    if log is not None and data.startswith(_UTF8_BOM):
        # libxml2 reads it correctly; OData's own $metadata responses carry none, and some tools choke on it.
        log.add("document starts with a UTF-8 byte order mark (BOM)", str(path), 1)
    # Refused before the parser sees it; the check after parsing catches encodings this misses.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _dtd_refused(path, _line_of(data, b"<!DOCTYPE") or _line_of(data, b"<!ENTITY"))
    try:
        root = etree.fromstring(data, _secure_parser())
    except etree.XMLSyntaxError as exc:
        message = exc.msg.split(", line ")[0] if exc.msg else "malformed XML"
        raise MetadataError(f"malformed XML: {message}", path=str(path), line=exc.lineno) from None
    # The byte search above misses a DOCTYPE in a UTF-16 (or other non-ASCII-compatible) document.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        try:
            text = data.decode(docinfo.encoding or "utf-8", errors="replace")
        except LookupError:  # an encoding libxml2 knows and Python does not
            text = ""
        offset = text.find("<!DOCTYPE")
        raise _dtd_refused(path, text.count("\n", 0, offset) + 1 if offset >= 0 else None)
    _check_shape(root, path)
    return root


def read_bounded(path: Path) -> bytes:
    """The file's bytes, refusing one larger than MAX_DOCUMENT_BYTES before reading all of it."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise MetadataError(f"cannot read metadata: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MetadataError(
            f"document is larger than the limit of {MAX_DOCUMENT_BYTES} bytes (MAX_DOCUMENT_BYTES)", path=str(path)
        )
    return data


def _check_shape(root: etree._Element, path: Path) -> None:
    """Refuse more than MAX_ELEMENTS elements or nesting deeper than MAX_ELEMENT_DEPTH (later stages recurse)."""
    count = 0
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            message = f"document has more than the limit of {MAX_ELEMENTS} elements (MAX_ELEMENTS)"
            raise MetadataError(message, path=str(path), line=element.sourceline)
        if depth > MAX_ELEMENT_DEPTH:
            message = f"elements are nested deeper than the limit of {MAX_ELEMENT_DEPTH} levels (MAX_ELEMENT_DEPTH)"
            raise MetadataError(message, path=str(path), line=element.sourceline)
        stack.extend((child, depth + 1) for child in element)


def _dtd_refused(path: Path, line: int | None) -> MetadataError:
    return MetadataError(
        "DTDs and entity declarations are not allowed in $metadata (possible XXE); remove the DOCTYPE",
        path=str(path),
        line=line,
    )


def check_edmx_root(root: etree._Element, path: Path) -> str:
    """Return the EDMX version, refusing anything that is not OData V4 CSDL XML."""
    qname = etree.QName(root)
    if qname.namespace == EDMX_V1:
        raise MetadataError(
            f"this is an OData V1-V3 document (EDMX {root.get('Version', '1.0')}); only OData V4 CSDL is supported",
            path=str(path),
            line=root.sourceline,
        )
    if qname.namespace != EDMX_V4 or qname.localname != "Edmx":
        raise MetadataError(
            f"root element is <{qname.localname}> in namespace {qname.namespace!r}; expected an OData V4 edmx:Edmx",
            path=str(path),
            line=root.sourceline,
        )
    version: str = root.get("Version", "")
    if version not in ("4.0", "4.01"):
        raise MetadataError(
            f"unsupported EDMX Version {version!r}; expected 4.0 or 4.01",
            path=str(path),
            line=root.sourceline,
        )
    return version
