"""OData V4 client code generator and runtime."""

__version__ = "0.1.0"
