"""Reading OData V4 CSDL, XML or JSON, into an immutable model."""

from collections.abc import Mapping
from pathlib import Path

from .json_load import looks_like_json
from .json_reader import parse_json_metadata
from .model import Document
from .parser import parse_metadata as parse_xml_metadata

__all__ = ["Document", "parse_metadata"]


def parse_metadata(path: Path, references: Mapping[str, Path] | None = None) -> Document:
    """Parse a $metadata file, told apart by its content, not its name: CSDL JSON starts with `{`, XML with `<`.

    `references` maps edmx:Reference Uris (CSDL JSON: `$Reference` keys) to local files (see parser.parse_metadata).
    """
    if not looks_like_json(path):
        return parse_xml_metadata(path, references)
    return parse_json_metadata(path, references)
