"""Reading XML safely: no DTDs, no entities, no network, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import MetadataError

EDMX_V4 = "http://docs.oasis-open.org/odata/ns/edmx"
EDM_V4 = "http://docs.oasis-open.org/odata/ns/edm"
# EDMX 1.0, used by OData V1-V3 services.
EDMX_V1 = "http://schemas.microsoft.com/ado/2007/06/edmx"


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


def read_xml(path: Path) -> etree._Element:
    """Parse `path` and return its root element, or raise MetadataError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MetadataError(f"cannot read metadata: {exc.strerror}", path=str(path)) from None
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
    return root


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
