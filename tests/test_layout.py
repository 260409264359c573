"""Each layout shape the templates emit, checked against black: black must leave it unchanged."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.layout import (
    Call,
    assignment,
    class_statement,
    field_statement,
    import_from,
    parameter,
    self_method,
    query_statement,
    return_call,
    tuple_literal,
)
from codegen.plan import FieldPlan, QueryPathPlan
from black_support import black_format

LONG = "x" * 40


def _field(attribute: str, annotation: str, default: str | None, wire: str = "Wire") -> FieldPlan:
    query = QueryPathPlan("_q.Property", (f'"{wire}"', "_q.IntExpr", '"Edm.Int32"'))
    return FieldPlan(attribute=attribute, wire_name=wire, annotation=annotation, default=default, doc=None, query=query)


def _in_class(statement: str) -> str:
    # Layout functions return continuation lines already indented for a class body.
    return "class C:\n    " + statement + "\n"


@pytest.mark.parametrize(
    "field, lines",
    [
        (_field("score", "int", None), 1),
        (_field("lead_date", "_dt.datetime | None", "None", "LeadDate"), 3),
        (_field("email", "str | None", "None", "EMail"), 1),
        (_field("manufacturer_plant_id", "int | None", "None", "ManufacturerPlantId"), 3),
        (_field("emails", "list[str | None]", "list", "E" * 55), 4),
        (_field("automatic_request_settings", "AccessPackageAutomaticRequestSettings | None", "None"), 3),
    ],
)
def test_field_statement_is_what_black_writes(field: FieldPlan, lines: int) -> None:
    source = _in_class(field_statement(field))
    assert black_format(source) == source
    assert len(source.splitlines()) == lines + 1


@pytest.mark.parametrize("value", ['"AimbaseOData.Lead"', '"' + "n" * 70 + '"', '"' + "n" * 90 + '"'])
def test_assignment_is_what_black_writes(value: str) -> None:
    source = _in_class(assignment("__odata_type__", value))
    assert black_format(source) == source


@pytest.mark.parametrize("name", ["Lead", "A" * 70])
def test_import_from_is_what_black_writes(name: str) -> None:
    source = "if x:\n    " + import_from(".models.some_module", name) + "\n"
    assert black_format(source) == source


@pytest.mark.parametrize("items", [("id",), ("order_id", "product_id"), tuple(f"key_part_{i}" for i in range(8))])
def test_tuple_literal_is_what_black_writes(items: tuple[str, ...]) -> None:
    source = _in_class("__odata_key__ = " + tuple_literal(items, prefix_length=17))
    assert black_format(source) == source


@pytest.mark.parametrize("name", ["Lead", "AccessPackageRequestApprovalStageCallbackConfiguration"])
def test_class_statement_is_what_black_writes(name: str) -> None:
    source = class_statement(name, "CustomExtensionCallbackConfiguration") + "\n    pass\n"
    assert black_format(source) == source


def test_a_field_too_long_even_in_parentheses_splits_at_its_annotation() -> None:
    """black splits inside `list[...]` here; layout must do the same, as no black runs after it."""
    source = _in_class(field_statement(_field(LONG, f"list[{LONG} | None]", "list")))
    assert source.splitlines()[1].endswith(": list[")
    assert black_format(source) == source


@pytest.mark.parametrize(
    "wire_length, default, edm",
    [(3, "list", None), (21, None, None), (15, "None", "Edm.Int32"), (58, "list", "Edm.Int32")],
)
@pytest.mark.parametrize("type_length", [70, 72])
def test_a_union_inside_list_that_still_does_not_fit_splits_at_its_bar(
    wire_length: int, default: str | None, edm: str | None, type_length: int
) -> None:
    """What hypothesis once found: `name: list[` does not fit (a 78-character name), so the annotation goes
    into parentheses and `list[` is split; its `T | None`, 12 deep, is 1-3 characters too long, and black
    splits it before the `|` as well."""
    type_name = "T" * type_length
    query = QueryPathPlan("_q.Property", ('"W"', "_q.IntExpr", '"Edm.Int32"'))
    field = FieldPlan("a" * 78, "w" * wire_length, f"list[{type_name} | None]", default, None, query, edm_type=edm)
    source = _in_class(field_statement(field))
    assert source.splitlines()[3:5] == [" " * 12 + type_name, " " * 12 + "| None"]
    assert black_format(source) == source


@pytest.mark.parametrize(
    "attribute, query",
    [
        ("score", QueryPathPlan("_q.Property", ('"Score"', "_q.IntExpr", '"Edm.Int32"'))),
        (
            "dealer_distance_miles",
            QueryPathPlan("_q.Property", ('"DealerDistanceMiles"', "_q.DecimalExpr", '"Edm.Decimal"')),
        ),
        ("prospect", QueryPathPlan("_q.Nested", ('"Prospect"', '"QProspect"'), "_q.Nested[QProspect]")),
    ],
)
def test_query_statement_is_what_black_writes(attribute: str, query: QueryPathPlan) -> None:
    source = _in_class(query_statement(attribute, query))
    assert black_format(source) == source


def test_a_query_statement_too_long_even_in_parentheses_splits_at_its_annotation() -> None:
    query = QueryPathPlan("_q.NestedCollection", (f'"{LONG}"', f'"Q{LONG}"'), f"_q.NestedCollection[Q{LONG}]")
    source = _in_class(query_statement(LONG, query))
    assert source.splitlines()[1].endswith(": _q.NestedCollection[")
    assert black_format(source) == source


@pytest.mark.parametrize(
    "name, annotation, default",
    [
        ("medium", "str | None | _rt.Unset", "_rt.UNSET"),
        ("native_authentication_apis_enabled", "NativeAuthenticationApisEnabled | None | _rt.Unset", "_rt.UNSET"),
        ("brand_id", "int", None),
    ],
)
def test_parameter_is_what_black_writes(name: str, annotation: str, default: str | None) -> None:
    source = "def f(\n    *,\n    " + parameter(name, annotation, default, indent=4) + "\n) -> None:\n    pass\n"
    assert black_format(source) == source


@pytest.mark.parametrize(
    "base",
    [
        "_http.EntitySet[Lead, QLead]",
        "_http.EntitySet[AuthenticationMethodConfiguration, QAuthenticationMethodConfiguration]",
        f"_http.AsyncEntitySet[{LONG}{LONG}, Q{LONG}{LONG}]",
    ],
)
def test_subscripted_class_statement_is_what_black_writes(base: str) -> None:
    source = class_statement("AuthenticationMethodConfigurationsEntitySet", base) + "\n    pass\n"
    assert black_format(source) == source


@pytest.mark.parametrize("name", ["leads", "authentication_method_configurations"])
def test_self_method_is_what_black_writes(name: str) -> None:
    source = _in_class(self_method(name, "AsyncAuthenticationMethodConfigurationsEntitySet") + "\n        pass")
    assert black_format(source) == source


def _identifier(letter: str, longest: int = 72) -> st.SearchStrategy[str]:
    # Up to a little beyond Graph's longest names (classes 69, wire names 74 characters). Past about 80,
    # black's fallback splits differ from these rules: the output stays valid Python, black would re-wrap it.
    return st.integers(1, longest).map(lambda n: letter + "x" * (n - 1))


_ANNOTATIONS = st.sampled_from(
    ["{t}", "{t} | None", "list[{t}]", "list[{t} | None]", "list[{t}] | None", "_q.Nested[Q{t}]", "_dt.datetime | None"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=_identifier("a", 78),
    shape=_ANNOTATIONS,
    type_name=_identifier("T"),
    wire=_identifier("w", 80),
    default=st.sampled_from([None, "None", "list"]),
    edm=st.sampled_from([None, "Edm.Int32"]),
)
def test_every_field_statement_is_what_black_writes(
    name: str, shape: str, type_name: str, wire: str, default: str | None, edm: str | None
) -> None:
    """Any mix of lengths, for each annotation shape the planner emits: black must find nothing to change."""
    query = QueryPathPlan("_q.Property", ('"W"', "_q.IntExpr", '"Edm.Int32"'))
    field = FieldPlan(name, wire, shape.format(t=type_name), default, None, query, edm_type=edm)
    source = _in_class(field_statement(field))
    assert black_format(source) == source


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_identifier("a"), type_name=_identifier("T"), wire=_identifier("w"), kind=st.integers(0, 3))
def test_every_query_statement_is_what_black_writes(name: str, type_name: str, wire: str, kind: int) -> None:
    literal, enum = f'"{wire}"', Call("_q.enum_of", (type_name,))
    query = [
        QueryPathPlan("_q.Nested", (literal, f'"Q{type_name}"'), f"_q.Nested[Q{type_name}]"),
        QueryPathPlan("_q.NestedCollection", (literal, f'"Q{type_name}"'), f"_q.NestedCollection[Q{type_name}]"),
        QueryPathPlan("_q.Property", (literal, Call("_q.collection_of", (enum, f'"NS.{type_name}"')))),
        QueryPathPlan("_q.Property", (literal, enum, f'"NS.{type_name}"')),
    ][kind]
    source = _in_class(query_statement(name, query))
    assert black_format(source) == source


@settings(max_examples=100, deadline=None)
@given(name=_identifier("S"))
def test_a_returned_call_is_what_black_writes(name: str) -> None:
    source = _in_class("def f(self):\n        " + return_call("self._entity_set", name))
    assert black_format(source) == source
