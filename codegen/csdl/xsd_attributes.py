"""The attributes the OASIS CSDL XML schemas (edm.xsd, edmx.xsd) allow on each element.

Written out from the XSDs rather than read from them at run time, so the generator needs no schema files;
tests/test_warnings.py derives the same table from tests/fixtures/odata-spec/ and compares.
"""

from __future__ import annotations

_FACETS = ("MaxLength", "Precision", "Scale", "SRID", "Unicode")
_CONSTANTS = (
    "AnnotationPath Binary Bool Date DateTimeOffset Decimal Duration EnumMember Float Guid Int ModelElementPath "
    "NavigationPropertyPath Path PropertyPath String TimeOfDay UrlRef"
).split()

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    name: frozenset(attributes)
    for name, attributes in {
        "Action": ("EntitySetPath", "IsBound", "Name"),
        "ActionImport": ("Action", "EntitySet", "Name"),
        "Annotation": (*_CONSTANTS, "Qualifier", "Term"),
        "Annotations": ("Qualifier", "Target"),
        "Apply": ("Function",),
        "Cast": (*_FACETS, "Type"),
        "IsOf": (*_FACETS, "Type"),
        "ComplexType": ("Abstract", "BaseType", "Name", "OpenType"),
        "Edmx": ("Version",),
        "EntityContainer": ("Extends", "Name"),
        "EntitySet": ("EntityType", "IncludeInServiceDocument", "Name"),
        "EntityType": ("Abstract", "BaseType", "HasStream", "Name", "OpenType"),
        "EnumType": ("IsFlags", "Name", "UnderlyingType"),
        "Function": ("EntitySetPath", "IsBound", "IsComposable", "Name"),
        "FunctionImport": ("EntitySet", "Function", "IncludeInServiceDocument", "Name"),
        "Include": ("Alias", "Namespace"),
        "Schema": ("Alias", "Namespace"),
        "IncludeAnnotations": ("Qualifier", "TargetNamespace", "TermNamespace"),
        "LabeledElement": (*_CONSTANTS, "Name"),
        "Member": ("Name", "Value"),
        "NavigationProperty": ("ContainsTarget", "Name", "Nullable", "Partner", "Type"),
        "NavigationPropertyBinding": ("Path", "Target"),
        "OnDelete": ("Action",),
        "Parameter": (*_FACETS, "Name", "Nullable", "Type"),
        "Property": (*_FACETS, "DefaultValue", "Name", "Nullable", "Type"),
        "PropertyRef": ("Alias", "Name"),
        "PropertyValue": (*_CONSTANTS, "Property"),
        "Record": ("Type",),
        "Reference": ("Uri",),
        "ReferentialConstraint": ("Property", "ReferencedProperty"),
        "ReturnType": (*_FACETS, "Nullable", "Type"),
        "Singleton": ("Name", "Nullable", "Type"),
        "Term": (*_FACETS, "AppliesTo", "BaseTerm", "DefaultValue", "Name", "Nullable", "Type"),
        "TypeDefinition": (*_FACETS, "Name", "UnderlyingType"),
    }.items()
}
# Every other element of the two schemas (expressions, Key, DataServices, ...) allows no attribute at all.
NO_ATTRIBUTES: frozenset[str] = frozenset(
    (
        "Add And AnnotationPath Binary Bool Collection DataServices Date DateTimeOffset Decimal Div DivBy Duration "
        "EnumMember Eq Float Ge Gt Guid Has If In Int Key LabeledElementReference Le Lt Mod ModelElementPath Mul "
        "NavigationPropertyPath Ne Neg Not Null Or Path PropertyPath String Sub TimeOfDay UrlRef"
    ).split()
)
