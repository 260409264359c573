"""Typed OData queries: expressions over generated query types (`QLead.score > 10`), and their literals.

Generated modules import this package as `_q`; users import the same names from here.
"""

from .expressions import (
    BinaryExpr,
    BoolExpr,
    CollectionExpr,
    Comparable,
    DateExpr,
    DateTimeExpr,
    DecimalExpr,
    DurationExpr,
    EnumExpr,
    Equatable,
    Expression,
    FloatExpr,
    GuidExpr,
    IntExpr,
    Numeric,
    StringExpr,
    TimeExpr,
    UntypedExpr,
    collection_of,
    enum_of,
    now,
    raw,
)
from .literals import format_literal, percent_encode
from .schema import Nested, NestedCollection, Property, QueryType, path_of

__all__ = [
    "BinaryExpr",
    "BoolExpr",
    "CollectionExpr",
    "Comparable",
    "DateExpr",
    "DateTimeExpr",
    "DecimalExpr",
    "DurationExpr",
    "EnumExpr",
    "Equatable",
    "Expression",
    "FloatExpr",
    "GuidExpr",
    "IntExpr",
    "Nested",
    "NestedCollection",
    "Numeric",
    "Property",
    "QueryType",
    "StringExpr",
    "TimeExpr",
    "UntypedExpr",
    "collection_of",
    "enum_of",
    "format_literal",
    "now",
    "path_of",
    "percent_encode",
    "raw",
]
