"""The runtime that generated packages import: base model, wire conversion, errors."""

from .converter import configure_converter, converter, make_converter, structure, unstructure
from .errors import DeserializationError
from .model import ODataModel, wire

__all__ = [
    "DeserializationError",
    "ODataModel",
    "configure_converter",
    "converter",
    "make_converter",
    "structure",
    "unstructure",
    "wire",
]
