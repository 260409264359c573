"""The Edm primitive and abstract types a CSDL document may name (OData CSDL XML, section 4.4)."""

from __future__ import annotations

_GEO_SHAPES = ("", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "Collection")

PRIMITIVE_TYPES: frozenset[str] = frozenset(
    {
        f"Edm.{name}"
        for name in (
            "Binary Boolean Byte Date DateTimeOffset Decimal Double Duration Guid Int16 Int32 Int64 SByte "
            "Single Stream String TimeOfDay Untyped PrimitiveType ComplexType EntityType AnnotationPath "
            "AnyPropertyPath ModelElementPath NavigationPropertyPath PropertyPath"
        ).split()
    }
    | {f"Edm.{family}{shape}" for family in ("Geography", "Geometry") for shape in _GEO_SHAPES}
)
