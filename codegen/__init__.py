"""OData V4 client code generator and runtime."""

# The generator and the runtime are released together, under one version number.
from .runtime.version import __version__

__all__ = ["__version__"]
