"""Each layout shape the templates emit, checked against black: black must leave it unchanged."""

from __future__ import annotations

import pytest

from codegen.layout import (
    assignment,
    class_statement,
    field_statement,
    import_from,
    parameter,
    self_method,
    query_statement,
    tuple_literal,
)
from codegen.plan import FieldPlan, QueryPathPlan
from codegen.render import _has_long_line, format_python

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
    assert format_python(source) == source
    assert len(source.splitlines()) == lines + 1


@pytest.mark.parametrize("value", ['"AimbaseOData.Lead"', '"' + "n" * 70 + '"', '"' + "n" * 90 + '"'])
def test_assignment_is_what_black_writes(value: str) -> None:
    source = _in_class(assignment("__odata_type__", value))
    assert format_python(source) == source


@pytest.mark.parametrize("name", ["Lead", "A" * 70])
def test_import_from_is_what_black_writes(name: str) -> None:
    source = "if x:\n    " + import_from(".models.some_module", name) + "\n"
    assert format_python(source) == source


@pytest.mark.parametrize("items", [("id",), ("order_id", "product_id"), tuple(f"key_part_{i}" for i in range(8))])
def test_tuple_literal_is_what_black_writes(items: tuple[str, ...]) -> None:
    source = _in_class("__odata_key__ = " + tuple_literal(items, prefix_length=17))
    assert format_python(source) == source


@pytest.mark.parametrize("name", ["Lead", "AccessPackageRequestApprovalStageCallbackConfiguration"])
def test_class_statement_is_what_black_writes(name: str) -> None:
    source = class_statement(name, "CustomExtensionCallbackConfiguration") + "\n    pass\n"
    assert format_python(source) == source


def test_a_shape_layout_cannot_fit_is_left_to_black() -> None:
    """Even the parenthesised form is too long here: the renderer must notice and run black."""
    source = _in_class(field_statement(_field(LONG, f"list[{LONG} | None]", "list")))
    assert _has_long_line(source)
    assert not _has_long_line(format_python(source))


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
    assert format_python(source) == source


def test_a_query_statement_layout_cannot_fit_is_left_to_black() -> None:
    query = QueryPathPlan("_q.NestedCollection", (f'"{LONG}"', f'"Q{LONG}"'), f"_q.NestedCollection[Q{LONG}]")
    source = _in_class(query_statement(LONG, query))
    assert _has_long_line(source)
    assert not _has_long_line(format_python(source))


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
    assert format_python(source) == source


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
    assert format_python(source) == source


@pytest.mark.parametrize("name", ["leads", "authentication_method_configurations"])
def test_self_method_is_what_black_writes(name: str) -> None:
    source = _in_class(self_method(name, "AsyncAuthenticationMethodConfigurationsEntitySet") + "\n        pass")
    assert format_python(source) == source
