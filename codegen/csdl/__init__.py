"""Reading OData V4 CSDL XML into an immutable model."""

from .model import Document
from .parser import parse_metadata

__all__ = ["Document", "parse_metadata"]
