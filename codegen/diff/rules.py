"""The classification of each kind of change: breaking or compatible for code that uses the generated package.

"Code that uses the package" reads models, filters with the query types, constructs models, patches entities
and calls operations, type-checked with mypy. A change is breaking when some such code that worked (or
type-checked) against the old package can fail against the new one; when a change helps readers but hurts
writers (or the reverse), it is breaking. Each kind has one class, so the kind alone tells it.

| kind | class | why |
|---|---|---|
| `entity-set-added` | compatible | a new client accessor; nothing existing changes |
| `entity-set-removed` | breaking | the client accessor and its class are gone |
| `entity-set-type-changed` | breaking | the set returns and accepts another model class |
| `entity-set-capability-removed` | breaking | create, patch or delete is refused (or gone) where it worked |
| `entity-set-capability-added` | compatible | create, patch or delete newly allowed |
| `entity-set-property-frozen` | breaking | NonUpdatableProperties gained it: the set's patch parameter is gone |
| `entity-set-property-unfrozen` | compatible | NonUpdatableProperties lost it: patch gains a parameter |
| `singleton-added` | compatible | a new client accessor |
| `singleton-removed` | breaking | the client accessor is gone |
| `singleton-type-changed` | breaking | the singleton returns another model class |
| `operation-import-added` | compatible | a new client method |
| `operation-import-removed` | breaking | the client method is gone |
| `operation-import-changed` | breaking | the client method calls another operation or returns another set |
| `type-added` | compatible | a new model class |
| `type-removed` | breaking | the model class (and its query class) is gone |
| `type-kind-changed` | breaking | entity <-> complex: keys, client classes and URLs change |
| `base-type-changed` | breaking | inherited attributes and isinstance checks change |
| `type-made-abstract` | breaking | constructing the model is no longer valid for the service |
| `type-made-concrete` | compatible | the model may now be constructed too |
| `type-closed` | breaking | dynamic (open) properties are no longer kept |
| `type-opened` | compatible | dynamic properties are now kept as well |
| `key-changed` | breaking | navigate(key) and get(key) take other values |
| `property-added` | compatible | an optional attribute (default None or []): constructors and reads still work |
| `required-property-added` | breaking | a non-nullable attribute: every constructor call must now pass it |
| `property-removed` | breaking | the attribute, its query path and its patch parameter are gone |
| `property-type-widened` | compatible | same Python type, wider range (Int32 -> Int64, Single -> Double) |
| `property-type-changed` | breaking | another Python type, or a narrower range that refuses values |
| `property-collection-changed` | breaking | a value becomes a list or a list a value |
| `property-made-nullable` | breaking | reads may get None: the annotation gains `| None` |
| `property-made-non-nullable` | breaking | the constructor now requires it (it had default None) |
| `max-length-lowered` | breaking | writers' longer values are now refused (added MaxLength counts as lowered) |
| `max-length-raised` | compatible | every value valid before stays valid (removed MaxLength counts as raised) |
| `precision-lowered` | breaking | values with more digits are now refused |
| `precision-raised` | compatible | every value valid before stays valid |
| `scale-lowered` | breaking | values with more decimals are now refused (or the scale became fixed) |
| `scale-raised` | compatible | every value valid before stays valid |
| `allowed-value-removed` | breaking | writers sending it are refused; readers' code for it is dead |
| `allowed-value-added` | compatible | writers may send more; existing values stay valid |
| `allowed-values-restricted` | breaking | an AllowedValues list appears where any value was accepted |
| `allowed-values-unrestricted` | compatible | the AllowedValues list is gone: any value is accepted |
| `property-made-read-only` | breaking | Core.Computed/Immutable: the patch parameter is gone |
| `property-made-editable` | compatible | patch gains a parameter |
| `navigation-added` | compatible | a new optional attribute (None until expanded) and navigation |
| `navigation-removed` | breaking | the attribute, its expand path and its client navigation are gone |
| `navigation-target-changed` | breaking | the navigation returns another model class |
| `navigation-collection-changed` | breaking | one entity becomes a collection or back |
| `navigation-made-nullable` | breaking | navigating may now find nothing |
| `navigation-made-non-nullable` | compatible | navigating always finds an entity |
| `navigation-containment-changed` | breaking | contained entities are reached through other URLs |
| `enum-added` | compatible | a new enum class |
| `enum-removed` | breaking | the enum class is gone |
| `enum-flags-changed` | breaking | combining members with | starts or stops being valid |
| `enum-underlying-type-changed` | compatible | members keep their names and values in Python |
| `enum-member-added` | compatible | a new member; existing members are unchanged |
| `enum-member-removed` | breaking | the member is gone; the service no longer sends or accepts it |
| `enum-member-value-changed` | breaking | the member's value (and flag combinations) change |
| `type-definition-added` | compatible | a new type name; nothing existing changes |
| `type-definition-removed` | breaking | properties of that type change type |
| `type-definition-type-widened` | compatible | same Python type, wider range |
| `type-definition-type-changed` | breaking | properties of that type change Python type or range |
| `operation-added` | compatible | a new method (or overload) |
| `operation-removed` | breaking | the method (or overload) is gone |
| `operation-kind-changed` | breaking | action <-> function: another HTTP method and result handling |
| `operation-made-non-composable` | breaking | its result can no longer be queried further |
| `operation-made-composable` | compatible | its result may now be queried further |
| `parameter-added` | breaking | every operation parameter is a required keyword: calls must pass it |
| `parameter-removed` | breaking | calls passing it fail |
| `parameter-type-widened` | compatible | same Python type, wider range: every call still works |
| `parameter-type-changed` | breaking | calls pass another Python type, or values a narrower range refuses |
| `parameter-collection-changed` | breaking | calls pass a list instead of a value or back |
| `parameter-made-nullable` | compatible | calls may also pass None |
| `parameter-made-non-nullable` | breaking | calls passing None are refused |
| `return-type-widened` | compatible | same Python type, wider range |
| `return-type-changed` | breaking | callers get another type (or nothing) |
| `return-collection-changed` | breaking | callers get a list instead of a value or back |
| `return-made-nullable` | breaking | callers may get None |
| `return-made-non-nullable` | compatible | callers always get a value |
| `python-name-changed` | breaking | the spec's renames or the naming rules give it another Python name |
"""

from __future__ import annotations

B, C = True, False

# kind -> (breaking, why). The module docstring's table repeats it for readers; a test keeps the two equal.
RULES: dict[str, tuple[bool, str]] = {
    "entity-set-added": (C, "a new client accessor; nothing existing changes"),
    "entity-set-removed": (B, "the client accessor and its class are gone"),
    "entity-set-type-changed": (B, "the set returns and accepts another model class"),
    "entity-set-capability-removed": (B, "create, patch or delete is refused (or gone) where it worked"),
    "entity-set-capability-added": (C, "create, patch or delete newly allowed"),
    "entity-set-property-frozen": (B, "NonUpdatableProperties gained it: the set's patch parameter is gone"),
    "entity-set-property-unfrozen": (C, "NonUpdatableProperties lost it: patch gains a parameter"),
    "singleton-added": (C, "a new client accessor"),
    "singleton-removed": (B, "the client accessor is gone"),
    "singleton-type-changed": (B, "the singleton returns another model class"),
    "operation-import-added": (C, "a new client method"),
    "operation-import-removed": (B, "the client method is gone"),
    "operation-import-changed": (B, "the client method calls another operation or returns another set"),
    "type-added": (C, "a new model class"),
    "type-removed": (B, "the model class (and its query class) is gone"),
    "type-kind-changed": (B, "entity <-> complex: keys, client classes and URLs change"),
    "base-type-changed": (B, "inherited attributes and isinstance checks change"),
    "type-made-abstract": (B, "constructing the model is no longer valid for the service"),
    "type-made-concrete": (C, "the model may now be constructed too"),
    "type-closed": (B, "dynamic (open) properties are no longer kept"),
    "type-opened": (C, "dynamic properties are now kept as well"),
    "key-changed": (B, "navigate(key) and get(key) take other values"),
    "property-added": (C, "an optional attribute (default None or []): constructors and reads still work"),
    "required-property-added": (B, "a non-nullable attribute: every constructor call must now pass it"),
    "property-removed": (B, "the attribute, its query path and its patch parameter are gone"),
    "property-type-widened": (C, "same Python type, wider range (Int32 -> Int64, Single -> Double)"),
    "property-type-changed": (B, "another Python type, or a narrower range that refuses values"),
    "property-collection-changed": (B, "a value becomes a list or a list a value"),
    "property-made-nullable": (B, "reads may get None: the annotation gains `| None`"),
    "property-made-non-nullable": (B, "the constructor now requires it (it had default None)"),
    "max-length-lowered": (B, "writers' longer values are now refused (added MaxLength counts as lowered)"),
    "max-length-raised": (C, "every value valid before stays valid (removed MaxLength counts as raised)"),
    "precision-lowered": (B, "values with more digits are now refused"),
    "precision-raised": (C, "every value valid before stays valid"),
    "scale-lowered": (B, "values with more decimals are now refused (or the scale became fixed)"),
    "scale-raised": (C, "every value valid before stays valid"),
    "allowed-value-removed": (B, "writers sending it are refused; readers' code for it is dead"),
    "allowed-value-added": (C, "writers may send more; existing values stay valid"),
    "allowed-values-restricted": (B, "an AllowedValues list appears where any value was accepted"),
    "allowed-values-unrestricted": (C, "the AllowedValues list is gone: any value is accepted"),
    "property-made-read-only": (B, "Core.Computed/Immutable: the patch parameter is gone"),
    "property-made-editable": (C, "patch gains a parameter"),
    "navigation-added": (C, "a new optional attribute (None until expanded) and navigation"),
    "navigation-removed": (B, "the attribute, its expand path and its client navigation are gone"),
    "navigation-target-changed": (B, "the navigation returns another model class"),
    "navigation-collection-changed": (B, "one entity becomes a collection or back"),
    "navigation-made-nullable": (B, "navigating may now find nothing"),
    "navigation-made-non-nullable": (C, "navigating always finds an entity"),
    "navigation-containment-changed": (B, "contained entities are reached through other URLs"),
    "enum-added": (C, "a new enum class"),
    "enum-removed": (B, "the enum class is gone"),
    "enum-flags-changed": (B, "combining members with | starts or stops being valid"),
    "enum-underlying-type-changed": (C, "members keep their names and values in Python"),
    "enum-member-added": (C, "a new member; existing members are unchanged"),
    "enum-member-removed": (B, "the member is gone; the service no longer sends or accepts it"),
    "enum-member-value-changed": (B, "the member's value (and flag combinations) change"),
    "type-definition-added": (C, "a new type name; nothing existing changes"),
    "type-definition-removed": (B, "properties of that type change type"),
    "type-definition-type-widened": (C, "same Python type, wider range"),
    "type-definition-type-changed": (B, "properties of that type change Python type or range"),
    "operation-added": (C, "a new method (or overload)"),
    "operation-removed": (B, "the method (or overload) is gone"),
    "operation-kind-changed": (B, "action <-> function: another HTTP method and result handling"),
    "operation-made-non-composable": (B, "its result can no longer be queried further"),
    "operation-made-composable": (C, "its result may now be queried further"),
    "parameter-added": (B, "every operation parameter is a required keyword: calls must pass it"),
    "parameter-removed": (B, "calls passing it fail"),
    "parameter-type-widened": (C, "same Python type, wider range: every call still works"),
    "parameter-type-changed": (B, "calls pass another Python type, or values a narrower range refuses"),
    "parameter-collection-changed": (B, "calls pass a list instead of a value or back"),
    "parameter-made-nullable": (C, "calls may also pass None"),
    "parameter-made-non-nullable": (B, "calls passing None are refused"),
    "return-type-widened": (C, "same Python type, wider range"),
    "return-type-changed": (B, "callers get another type (or nothing)"),
    "return-collection-changed": (B, "callers get a list instead of a value or back"),
    "return-made-nullable": (B, "callers may get None"),
    "return-made-non-nullable": (C, "callers always get a value"),
    "python-name-changed": (B, "the spec's renames or the naming rules give it another Python name"),
}


# Edm types whose values all fit in the second, with the same Python type: code using the first keeps working.
WIDENINGS = frozenset(
    {
        ("Edm.Byte", "Edm.Int16"),
        ("Edm.Byte", "Edm.Int32"),
        ("Edm.Byte", "Edm.Int64"),
        ("Edm.SByte", "Edm.Int16"),
        ("Edm.SByte", "Edm.Int32"),
        ("Edm.SByte", "Edm.Int64"),
        ("Edm.Int16", "Edm.Int32"),
        ("Edm.Int16", "Edm.Int64"),
        ("Edm.Int32", "Edm.Int64"),
        ("Edm.Single", "Edm.Double"),
    }
)
