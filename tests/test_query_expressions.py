"""Typed query expressions (codegen/runtime/query/expressions.py, nodes.py, schema.py): expression -> exact text.

One line per case, pypika style: a typed expression over a generated query class and the `$filter` text it
renders (before percent-encoding). The committed `aimbase` package covers scalars and navigation; TripPin and
the OData .NET test service, generated into a temporary directory, cover collections of primitives, entities
and complex values, enumerations and flags, Date, TimeOfDay, Duration, Double and Single; a small CSDL written
here covers the Edm types those services lack (Binary, Byte, SByte, Int16). The ABNF itself is checked in
tests/test_query_properties.py, what mypy says in tests/test_query_typing.py.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from aimbase import QLead, QProspect
from codegen.runtime.query import BoolExpr, now, raw
from codegen.runtime.query.nodes import Junction

CSDL = Path(__file__).resolve().parent / "fixtures" / "csdl"
TRIPPIN_NS = "Microsoft.OData.SampleService.Models.TripPin"
ODATANET_NS = "Microsoft.OData.E2E.TestCommon.Common.Server.Default"

# Edm types that neither Aimbase, TripPin nor the OData .NET service declare.
LAB_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Lab" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Sample">
        <Key><PropertyRef Name="ID" /></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false" />
        <Property Name="Data" Type="Edm.Binary" />
        <Property Name="Tiny" Type="Edm.Byte" />
        <Property Name="Small" Type="Edm.SByte" />
        <Property Name="Short" Type="Edm.Int16" />
        <Property Name="Spot" Type="Edm.GeographyPoint" />
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="Samples" EntityType="Lab.Sample" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""

PACKAGES = ("qtrippin", "qodatanet", "qlab")


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """TripPin, OData .NET and the lab CSDL generated into a temporary directory and imported."""
    out = tmp_path_factory.mktemp("generated")
    lab = out / "lab.xml"
    lab.write_text(LAB_CSDL, encoding="utf-8")
    sources = {"qtrippin": CSDL / "trippin-sampleservice.xml", "qodatanet": CSDL / "odatanet-DefaultServiceCsdl.xml"}
    for package, csdl in {**sources, "qlab": lab}.items():
        assert csdl.is_file(), f"CSDL not found at {csdl}"
        command = [
            "generate",
            "--metadata",
            str(csdl),
            "--package",
            package,
            "--out",
            str(out / "pkg"),
            "--package-only",
        ]
        subprocess.run([sys.executable, "-m", "codegen", *command], check=True, capture_output=True)
    sys.path.insert(0, str(out / "pkg"))
    try:
        import qlab
        import qodatanet
        import qtrippin

        yield SimpleNamespace(t=qtrippin, o=qodatanet, lab=qlab)
    finally:
        sys.path.remove(str(out / "pkg"))
        for name in [name for name in sys.modules if name.split(".")[0] in PACKAGES]:
            del sys.modules[name]


def tz(hours: int, minutes: int = 0) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours, minutes=minutes))


LEAD_UID = uuid.UUID("cc16dda6-8c50-483b-a928-cc506817cc33")
ACTIVE, QUALIFIED, REFUSED = QLead.is_active, QLead.is_qualified, QLead.prospect.email_refused


def cases(*rows: tuple[Any, str]) -> Any:
    """Rows of (a function building the expression, its text). The expression is built in the test, so that
    one broken operator fails its own cases, not the collection of the file. A function that takes an
    argument gets the `svc` namespace of generated services."""
    return pytest.mark.parametrize("build, expected", rows, ids=[expected for _, expected in rows])


# --- the issue's example ---------------------------------------------------------------------------------


def test_issue_example() -> None:
    assert str((QLead.score > 10) & (QLead.prospect.state == "CA")) == "Score gt 10 and Prospect/State eq 'CA'"


# --- comparison operators, null, in ----------------------------------------------------------------------


@cases(
    (lambda: QLead.score == 10, "Score eq 10"),
    (lambda: QLead.score != 10, "Score ne 10"),
    (lambda: QLead.score > 10, "Score gt 10"),
    (lambda: QLead.score >= 10, "Score ge 10"),
    (lambda: QLead.score < 10, "Score lt 10"),
    (lambda: QLead.score <= 10, "Score le 10"),
    (lambda: 10 < QLead.score, "Score gt 10"),  # Python reflects the comparison onto the path
    (lambda: 10 >= QLead.score, "Score le 10"),
    (lambda: 10 == QLead.score, "Score eq 10"),
    (lambda: QLead.score == QLead.id, "Score eq Id"),
    (lambda: QLead.medium > QLead.term, "Medium gt Term"),
    (lambda: QLead.score == None, "Score eq null"),  # noqa: E711 (== None is the API)
    (lambda: QLead.score != None, "Score ne null"),  # noqa: E711
    (lambda: None == QLead.medium, "Medium eq null"),  # noqa: E711
    (lambda: QLead.medium.is_null(), "Medium eq null"),
    (lambda: QLead.medium.is_not_null(), "Medium ne null"),
    (lambda: QLead.prospect_id.is_null(), "ProspectId eq null"),
    (lambda: QLead.score.in_([1, 2, 3]), "Score in (1,2,3)"),
    (lambda: QLead.score.in_(range(3)), "Score in (0,1,2)"),
    (lambda: QLead.medium.in_(["email", "web"]), "Medium in ('email','web')"),
    (lambda: QLead.medium.in_(("only",)), "Medium in ('only')"),
    (lambda: QLead.lead_uid.in_([LEAD_UID]), "LeadUid in (cc16dda6-8c50-483b-a928-cc506817cc33)"),
    (lambda: QLead.is_active == True, "IsActive eq true"),  # noqa: E712
    (lambda: QLead.is_active != False, "IsActive ne false"),  # noqa: E712
    (lambda: (QLead.score > 1) == False, "Score gt 1 eq false"),  # noqa: E712 (gt binds tighter than eq)
)
def test_comparison(build: Any, expected: str) -> None:
    assert str(build()) == expected


def test_in_refuses_an_empty_list_a_bare_string_and_expressions() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        QLead.score.in_([])
    with pytest.raises(TypeError, match="list of values"):
        QLead.medium.in_("email")  # would otherwise be ('e','m','a','i','l')
    with pytest.raises(TypeError, match="not the expression"):
        QLead.medium.in_([QLead.term, QLead.content])  # type: ignore[list-item]  # (Term,Content): not OData
    with pytest.raises(TypeError, match="takes int"):
        QLead.score.in_([1, "2"])  # type: ignore[list-item]


# --- string functions ------------------------------------------------------------------------------------


@cases(
    (lambda: QLead.medium.contains("mail"), "contains(Medium,'mail')"),
    (lambda: QLead.medium.startswith("e"), "startswith(Medium,'e')"),
    (lambda: QLead.medium.endswith("l"), "endswith(Medium,'l')"),
    (lambda: QLead.medium.contains(QLead.term), "contains(Medium,Term)"),
    (lambda: QLead.medium.matches_pattern("^A.*e$"), "matchesPattern(Medium,'^A.*e$')"),
    (lambda: QLead.medium.indexof("a") == 0, "indexof(Medium,'a') eq 0"),
    (lambda: QLead.medium.length() > 3, "length(Medium) gt 3"),
    (lambda: QLead.medium.tolower() == "email", "tolower(Medium) eq 'email'"),
    (lambda: QLead.medium.toupper() == "EMAIL", "toupper(Medium) eq 'EMAIL'"),
    (lambda: QLead.medium.trim() == "x", "trim(Medium) eq 'x'"),
    (lambda: QLead.medium.concat("!") == "x!", "concat(Medium,'!') eq 'x!'"),
    (lambda: QLead.medium.concat(QLead.term) == "ab", "concat(Medium,Term) eq 'ab'"),
    (lambda: QLead.medium.concat("-").concat(QLead.term) == "a-b", "concat(concat(Medium,'-'),Term) eq 'a-b'"),
    (lambda: QLead.medium.substring(1) == "mail", "substring(Medium,1) eq 'mail'"),
    (lambda: QLead.medium.substring(1, 2) == "ma", "substring(Medium,1,2) eq 'ma'"),
    (lambda: QLead.medium.substring(QLead.score, QLead.id) == "", "substring(Medium,Score,Id) eq ''"),
    (lambda: QLead.medium.tolower().trim().contains("x"), "contains(trim(tolower(Medium)),'x')"),
    (lambda: QLead.medium.length() + 1 > QLead.term.length(), "length(Medium) add 1 gt length(Term)"),
)
def test_string_function(build: Any, expected: str) -> None:
    assert str(build()) == expected


# --- date and time functions, now() ----------------------------------------------------------------------


@cases(
    (lambda: QLead.lead_date.year() == 2016, "year(LeadDate) eq 2016"),
    (lambda: QLead.lead_date.month() == 8, "month(LeadDate) eq 8"),
    (lambda: QLead.lead_date.day() == 29, "day(LeadDate) eq 29"),
    (lambda: QLead.lead_date.hour() == 15, "hour(LeadDate) eq 15"),
    (lambda: QLead.lead_date.minute() == 31, "minute(LeadDate) eq 31"),
    (lambda: QLead.lead_date.second() == 1, "second(LeadDate) eq 1"),
    (lambda: QLead.lead_date.date() == dt.date(2016, 8, 29), "date(LeadDate) eq 2016-08-29"),
    (lambda: QLead.lead_date.time() < dt.time(12), "time(LeadDate) lt 12:00:00"),
    (lambda: QLead.lead_date.date().year() == 2016, "year(date(LeadDate)) eq 2016"),
    (lambda: QLead.lead_date.time().hour() >= 9, "hour(time(LeadDate)) ge 9"),
    (lambda: QLead.lead_date.time().minute() < 30, "minute(time(LeadDate)) lt 30"),
    (lambda: QLead.lead_date.time().second() != 0, "second(time(LeadDate)) ne 0"),
    (lambda: QLead.lead_date.date().month() == 1, "month(date(LeadDate)) eq 1"),
    (lambda: QLead.lead_date.date().day() == 1, "day(date(LeadDate)) eq 1"),
    (lambda: QLead.lead_date < now(), "LeadDate lt now()"),
    (lambda: now() > QLead.lead_date, "now() gt LeadDate"),
    (lambda: QLead.lead_date.year() == now().year(), "year(LeadDate) eq year(now())"),
)
def test_date_time_function(build: Any, expected: str) -> None:
    assert str(build()) == expected


@cases(
    (lambda m: m.o.QOrder.ship_date.year() == 2012, "year(ShipDate) eq 2012"),
    (lambda m: m.o.QOrder.ship_time.hour() < 8, "hour(ShipTime) lt 8"),
    (lambda m: m.o.QOrder.ship_date < m.o.QOrder.order_date.date(), "ShipDate lt date(OrderDate)"),
)
def test_date_and_time_paths(svc: Any, build: Any, expected: str) -> None:
    assert str(build(svc)) == expected


# --- arithmetic ------------------------------------------------------------------------------------------


@cases(
    (lambda: QLead.score + 1 > 10, "Score add 1 gt 10"),
    (lambda: QLead.score - 1 > 10, "Score sub 1 gt 10"),
    (lambda: QLead.score * 2 > 10, "Score mul 2 gt 10"),
    (lambda: QLead.score / 2 > 10, "Score div 2 gt 10"),
    (lambda: QLead.score % 2 == 0, "Score mod 2 eq 0"),
    (lambda: -QLead.score < 0, "-Score lt 0"),
    (lambda: QLead.score.add(1) == 2, "Score add 1 eq 2"),
    (lambda: QLead.score.sub(1) == 2, "Score sub 1 eq 2"),
    (lambda: QLead.score.mul(2) == 2, "Score mul 2 eq 2"),
    (lambda: QLead.score.div(2) == 2, "Score div 2 eq 2"),
    (lambda: QLead.score.mod(2) == 1, "Score mod 2 eq 1"),
    (lambda: 1 + QLead.score == 2, "1 add Score eq 2"),  # reflected: the literal stays on the left
    (lambda: 10 - QLead.score == 2, "10 sub Score eq 2"),
    (lambda: 2 * QLead.score == 2, "2 mul Score eq 2"),
    (lambda: 100 / QLead.score == 2, "100 div Score eq 2"),
    (lambda: 7 % QLead.score == 1, "7 mod Score eq 1"),
    (lambda: QLead.score + QLead.id > QLead.dealer_id, "Score add Id gt DealerId"),
    (lambda: QLead.score - -5 == 0, "Score sub -5 eq 0"),
    (lambda: QLead.dealer_distance_miles * 2 > Decimal("1.5"), "DealerDistanceMiles mul 2 gt 1.5"),
    (lambda: QLead.dealer_distance_miles + Decimal("0.10") < 5, "DealerDistanceMiles add 0.10 lt 5"),
    (lambda: QLead.prospect.latitude - QLead.prospect.longitude > 0, "Prospect/Latitude sub Prospect/Longitude gt 0"),
)
def test_arithmetic(build: Any, expected: str) -> None:
    assert str(build()) == expected


@cases(
    (lambda m: m.o.QGiftCard.amount * 1.5 > 10.0, "Amount mul 1.5 gt 10.0"),
    (lambda m: m.o.QGiftCard.amount / 2 > 1, "Amount div 2.0 gt 1.0"),  # an int on a Double path is a Double
    (lambda m: 0.5 + m.t.QTrip.budget < 3000, "0.5 add Budget lt 3e3"),  # Edm.Single: shortest digits
)
def test_floating_arithmetic(svc: Any, build: Any, expected: str) -> None:
    assert str(build(svc)) == expected


# --- parentheses: only where precedence needs them -------------------------------------------------------

A, B, C, D = QLead.score, QLead.id, QLead.dealer_id, QLead.product_id


@cases(
    (lambda: (ACTIVE | QUALIFIED) & REFUSED, "(IsActive or IsQualified) and Prospect/EmailRefused"),
    (lambda: ACTIVE & QUALIFIED | REFUSED, "IsActive and IsQualified or Prospect/EmailRefused"),
    (lambda: ACTIVE | QUALIFIED & REFUSED, "IsActive or IsQualified and Prospect/EmailRefused"),
    (lambda: ACTIVE & (QUALIFIED | REFUSED), "IsActive and (IsQualified or Prospect/EmailRefused)"),
    (
        lambda: (ACTIVE & QUALIFIED) | (REFUSED & ACTIVE),
        "IsActive and IsQualified or Prospect/EmailRefused and IsActive",
    ),
    (lambda: ~(ACTIVE & QUALIFIED), "not (IsActive and IsQualified)"),
    (lambda: ~(ACTIVE | QUALIFIED), "not (IsActive or IsQualified)"),
    (lambda: ~ACTIVE, "not IsActive"),
    (lambda: ~~ACTIVE, "IsActive"),
    (lambda: ~ACTIVE & QUALIFIED, "not IsActive and IsQualified"),
    (lambda: ~(A == 1), "not (Score eq 1)"),
    (lambda: ~QLead.medium.contains("x"), "not contains(Medium,'x')"),
    (lambda: ~QLead.medium.contains("x") | ACTIVE, "not contains(Medium,'x') or IsActive"),
    (lambda: (A + B) * C > 0, "(Score add Id) mul DealerId gt 0"),
    (lambda: A + B * C > 0, "Score add Id mul DealerId gt 0"),
    (lambda: A * B + C > 0, "Score mul Id add DealerId gt 0"),
    (lambda: A - (B - C) > 0, "Score sub (Id sub DealerId) gt 0"),
    (lambda: A - B - C > 0, "Score sub Id sub DealerId gt 0"),
    (lambda: A + (B + C) > 0, "Score add (Id add DealerId) gt 0"),  # the grouping written is kept
    (lambda: A / (B * C) > 0, "Score div (Id mul DealerId) gt 0"),
    (lambda: A * (B / C) > 0, "Score mul (Id div DealerId) gt 0"),
    (lambda: A % (B + 1) == 0, "Score mod (Id add 1) eq 0"),
    (lambda: -(A + 1) < 0, "-(Score add 1) lt 0"),
    (lambda: -(-A) < 0, "-(-Score) lt 0"),
    (lambda: -A * 2 < 0, "-Score mul 2 lt 0"),
    (lambda: A * -B < 0, "Score mul -Id lt 0"),
    (lambda: (A + 1).in_([1, 2]), "(Score add 1) in (1,2)"),  # `in` binds tighter than `add` (URL Conventions 5.1.1.15)
    (lambda: (-A).in_([1]), "(-Score) in (1)"),
    (lambda: ~A.in_([1, 2]), "not (Score in (1,2))"),
    (lambda: A.in_([1, 2]) == True, "(Score in (1,2)) eq true"),  # noqa: E712  the ABNF's inExpr ends at its list
    (lambda: A.in_([1, 2]) != False, "(Score in (1,2)) ne false"),  # noqa: E712
    (lambda: True == A.in_([1]), "(Score in (1)) eq true"),  # noqa: E712
    (lambda: A.in_([1]) & B.in_([2]), "Score in (1) and Id in (2)"),
    (lambda: (A > 1) & ((B < 2) | (C == 3)) & (D != 4), "Score gt 1 and (Id lt 2 or DealerId eq 3) and ProductId ne 4"),
)
def test_parentheses(build: Any, expected: str) -> None:
    assert str(build()) == expected


@cases(
    (
        lambda m: ~m.o.QProduct.user_access.has(m.o.AccessLevel.READ),
        f"not (UserAccess has {ODATANET_NS}.AccessLevel'Read')",
    ),
    (
        lambda m: m.o.QProduct.user_access.has(m.o.AccessLevel.READ) & (m.o.QProduct.product_id > 1),
        f"UserAccess has {ODATANET_NS}.AccessLevel'Read' and ProductID gt 1",
    ),
    (
        lambda m: m.o.QProduct.user_access.has(m.o.AccessLevel.READ) == False,  # noqa: E712
        f"(UserAccess has {ODATANET_NS}.AccessLevel'Read') eq false",
    ),
)
def test_has_precedence(svc: Any, build: Any, expected: str) -> None:
    assert str(build(svc)) == expected


@cases(
    (lambda: raw("Score gt 1"), "Score gt 1"),
    (lambda: raw("a or b") & ACTIVE, "(a or b) and IsActive"),
    (lambda: ACTIVE | raw("Score gt 1"), "IsActive or (Score gt 1)"),
    (lambda: ~raw("Score gt 1"), "not (Score gt 1)"),
    (lambda: raw("x") & raw("y"), "(x) and (y)"),
)
def test_raw_is_grouped_when_combined(build: Any, expected: str) -> None:
    assert str(build()) == expected


@pytest.mark.parametrize("text", ["", "   ", None, 5])
def test_raw_needs_text(text: Any) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        raw(text)


# --- and / or stay flat ----------------------------------------------------------------------------------


def operands(expression: BoolExpr) -> tuple[Any, ...]:
    node = expression._node
    assert isinstance(node, Junction)
    return node.operands


def test_and_chain_is_one_flat_node() -> None:
    a, b, c, d = A == 1, B == 2, C == 3, D == 4
    chain = a & b & c
    assert isinstance(chain._node, Junction) and chain._node.operator == "and"
    assert operands(chain) == (a._node, b._node, c._node)
    assert operands((a & b) & (c & d)) == (a._node, b._node, c._node, d._node)
    assert operands(a & (b & (c & d))) == (a._node, b._node, c._node, d._node)
    assert str(a & b & c & d) == "Score eq 1 and Id eq 2 and DealerId eq 3 and ProductId eq 4"


def test_or_chain_is_one_flat_node_and_mixing_nests() -> None:
    a, b, c, d = A == 1, B == 2, C == 3, D == 4
    assert len(operands(a | b | c | d)) == 4
    mixed = (a & b) | c | (c & d)
    assert [type(node).__name__ for node in operands(mixed)] == ["Junction", "Binary", "Junction"]
    assert str(mixed) == "Score eq 1 and Id eq 2 or DealerId eq 3 or DealerId eq 3 and ProductId eq 4"
    assert len(operands(a & (b | c) & d)) == 3
    assert str(a & (b | c) & d) == "Score eq 1 and (Id eq 2 or DealerId eq 3) and ProductId eq 4"


def test_expressions_are_immutable() -> None:
    a, b = A == 1, B == 2
    before = str(a)
    _ = a & b, a | b, ~a
    assert str(a) == before == "Score eq 1"
    assert str(~a) == "not (Score eq 1)" and str(a) == "Score eq 1"


# --- literals of every Edm type, through typed paths -----------------------------------------------------


@cases(
    (lambda: QLead.medium == "email", "Medium eq 'email'"),
    (lambda: QLead.medium == "O'Brien", "Medium eq 'O''Brien'"),
    (lambda: QLead.medium == "''", "Medium eq ''''''"),
    (lambda: QLead.medium == "", "Medium eq ''"),
    (lambda: QLead.medium == "Zoë & 50% / ok?", "Medium eq 'Zoë & 50% / ok?'"),  # percent-encoded later, not here
    (lambda: QLead.score == 0, "Score eq 0"),
    (lambda: QLead.score == -7, "Score eq -7"),
    (lambda: QLead.score == 2**31 - 1, "Score eq 2147483647"),
    (lambda: QLead.score == -(2**31), "Score eq -2147483648"),
    (lambda: QLead.dealer_distance_miles == Decimal("1.10"), "DealerDistanceMiles eq 1.10"),
    (lambda: QLead.dealer_distance_miles == Decimal("1E+2"), "DealerDistanceMiles eq 100"),
    (lambda: QLead.dealer_distance_miles == Decimal("-0.000001"), "DealerDistanceMiles eq -0.000001"),
    (
        lambda: QLead.dealer_distance_miles == Decimal("12345678901234567890.123456789"),
        "DealerDistanceMiles eq 12345678901234567890.123456789",
    ),
    (lambda: QLead.dealer_distance_miles == 3, "DealerDistanceMiles eq 3"),
    (
        lambda: QLead.lead_date == dt.datetime(2016, 8, 29, 15, 31, 1, tzinfo=tz(-5)),
        "LeadDate eq 2016-08-29T15:31:01-05:00",
    ),
    (
        lambda: QLead.lead_date == dt.datetime(2016, 8, 29, 15, 31, tzinfo=dt.timezone.utc),
        "LeadDate eq 2016-08-29T15:31:00Z",
    ),
    (
        lambda: QLead.lead_date > dt.datetime(2016, 8, 29, 15, 31, 1, 470000, tzinfo=tz(5, 30)),
        "LeadDate gt 2016-08-29T15:31:01.47+05:30",
    ),
    (lambda: QLead.lead_date < dt.datetime(1, 1, 1, tzinfo=tz(-23, -59)), "LeadDate lt 0001-01-01T00:00:00-23:59"),
    (lambda: QLead.lead_uid == LEAD_UID, "LeadUid eq cc16dda6-8c50-483b-a928-cc506817cc33"),
    (lambda: QLead.lead_uid != LEAD_UID, "LeadUid ne cc16dda6-8c50-483b-a928-cc506817cc33"),
    (lambda: QLead.is_qualified == False, "IsQualified eq false"),  # noqa: E712
    (lambda: QLead.score == None, "Score eq null"),  # noqa: E711
)
def test_literal(build: Any, expected: str) -> None:
    assert str(build()) == expected


@cases(
    (lambda m: m.o.QGiftCard.amount == 1.5, "Amount eq 1.5"),
    (lambda m: m.o.QGiftCard.amount == 5, "Amount eq 5.0"),
    (lambda m: m.o.QGiftCard.amount < 1e16, "Amount lt 1e16"),
    (lambda m: m.o.QGiftCard.amount > 1e-7, "Amount gt 1e-7"),
    (lambda m: m.o.QGiftCard.amount == float("inf"), "Amount eq INF"),
    (lambda m: m.o.QGiftCard.amount == float("-inf"), "Amount eq -INF"),
    (lambda m: m.o.QGiftCard.amount != float("nan"), "Amount ne NaN"),
    (lambda m: m.t.QTrip.budget == 0.1, "Budget eq 0.1"),  # Edm.Single: not a binary32 value, sent as written
    (lambda m: m.t.QTrip.budget == 3.4028234663852886e38, "Budget eq 3.4028235e38"),
    (lambda m: m.t.QPerson.concurrency == 2**63 - 1, "Concurrency eq 9223372036854775807"),
    (lambda m: m.t.QPerson.concurrency == -(2**63), "Concurrency eq -9223372036854775808"),
    (lambda m: m.o.QOrder.ship_date == dt.date(2012, 12, 3), "ShipDate eq 2012-12-03"),
    (lambda m: m.o.QOrder.ship_time == dt.time(7, 59, 59, 999000), "ShipTime eq 07:59:59.999"),
    (lambda m: m.o.QOrder.ship_time < dt.time(0), "ShipTime lt 00:00:00"),
    (lambda m: m.o.QOrder.shelf_life > dt.timedelta(days=1, hours=2), "ShelfLife gt duration'P1DT2H'"),
    (lambda m: m.o.QOrder.shelf_life == dt.timedelta(0), "ShelfLife eq duration'PT0S'"),
    (lambda m: m.o.QOrder.shelf_life < dt.timedelta(seconds=-5), "ShelfLife lt duration'-PT5S'"),
    (lambda m: m.t.QTrip.share_id == uuid.UUID(int=0), "ShareId eq 00000000-0000-0000-0000-000000000000"),
    (lambda m: m.lab.QSample.data == b"\x00\xff\xfe", "Data eq binary'AP_-'"),
    (lambda m: m.lab.QSample.data == b"", "Data eq binary''"),
    (lambda m: m.lab.QSample.tiny == 255, "Tiny eq 255"),
    (lambda m: m.lab.QSample.small == -128, "Small eq -128"),
    (lambda m: m.lab.QSample.short == -(2**15), "Short eq -32768"),
    (lambda m: m.lab.QSample.spot.is_null(), "Spot eq null"),
    (lambda m: m.t.QPerson.gender == m.t.PersonGender.FEMALE, f"Gender eq {TRIPPIN_NS}.PersonGender'Female'"),
    (lambda m: m.t.QPerson.gender != None, "Gender ne null"),  # noqa: E711
    (
        lambda m: m.t.QPerson.gender.in_([m.t.PersonGender.MALE, m.t.PersonGender.UNKNOWN]),
        f"Gender in ({TRIPPIN_NS}.PersonGender'Male',{TRIPPIN_NS}.PersonGender'Unknown')",
    ),
    (lambda m: m.o.QProduct.skin_color == m.o.Color.RED, f"SkinColor eq {ODATANET_NS}.Color'Red'"),
    (lambda m: m.o.QProduct.user_access.has(m.o.AccessLevel.READ), f"UserAccess has {ODATANET_NS}.AccessLevel'Read'"),
    (
        lambda m: m.o.QProduct.user_access.has(m.o.AccessLevel.READ | m.o.AccessLevel.EXECUTE),
        f"UserAccess has {ODATANET_NS}.AccessLevel'Read,Execute'",
    ),
    (
        lambda m: m.o.QProduct.user_access == m.o.AccessLevel.READ | m.o.AccessLevel.WRITE,
        f"UserAccess eq {ODATANET_NS}.AccessLevel'Read,Write'",
    ),
    (lambda m: m.o.QProduct.user_access == m.o.AccessLevel.NONE, f"UserAccess eq {ODATANET_NS}.AccessLevel'None'"),
)
def test_literal_of_generated_type(svc: Any, build: Any, expected: str) -> None:
    assert str(build(svc)) == expected


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda: QLead.score == 2**31, ValueError, "out of range for Edm.Int32"),
        (lambda: QLead.score > -(2**31) - 1, ValueError, "out of range for Edm.Int32"),
        (lambda: QLead.medium.substring(2**31), ValueError, "out of range for Edm.Int32"),
        (lambda: QLead.lead_date > dt.datetime(2016, 8, 29), ValueError, "naive datetime 2016-08-29T00:00:00 cannot"),
        (lambda: QLead.lead_date == dt.datetime(2016, 8, 29, 12, tzinfo=None), ValueError, "attach a tzinfo"),
        (lambda: QLead.dealer_distance_miles == Decimal("NaN"), ValueError, "no NaN or infinity"),
        (lambda: QLead.dealer_distance_miles == Decimal("Infinity"), ValueError, "no NaN or infinity"),
    ],
)
def test_literal_out_of_range_is_refused_where_it_is_written(build: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build()


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda m: m.lab.QSample.tiny == 256, ValueError, "out of range for Edm.Byte"),
        (lambda m: m.lab.QSample.tiny == -1, ValueError, "out of range for Edm.Byte"),
        (lambda m: m.lab.QSample.small == 128, ValueError, "out of range for Edm.SByte"),
        (lambda m: m.lab.QSample.short == 2**15, ValueError, "out of range for Edm.Int16"),
        (lambda m: m.t.QPerson.concurrency == 2**63, ValueError, "out of range for Edm.Int64"),
        (lambda m: m.t.QTrip.budget == 16777217, ValueError, "not exactly representable as Edm.Single"),
        (lambda m: m.o.QOrder.ship_date == dt.datetime(2012, 12, 3, tzinfo=dt.timezone.utc), TypeError, "value.date()"),
        (lambda m: m.o.QOrder.shelf_life > 5, TypeError, "takes timedelta, not int"),
        (lambda m: m.t.QTrip.share_id == str(LEAD_UID), TypeError, "takes UUID, not str"),
        (lambda m: m.lab.QSample.data == "AP8", TypeError, "takes bytes, not str"),
        (lambda m: m.o.QProduct.skin_color == "Red", TypeError, "takes Color, not str"),
        (lambda m: m.o.QProduct.user_access.has(m.o.Color.RED), TypeError, "takes AccessLevel, not Color"),
        (lambda m: m.o.QProduct.skin_color == m.o.AccessLevel.READ, TypeError, "takes Color, not AccessLevel"),
        (lambda m: m.o.QProduct.user_access == 1, TypeError, "takes AccessLevel, not int"),
    ],
)
def test_generated_literal_errors(svc: Any, build: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build(svc)


# --- wrong Python types: TypeError at run time (mypy rejects them too: tests/test_query_typing.py) --------


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: QLead.score == "10", "Score takes int, not str '10'"),
        (lambda: QLead.score > "x", "takes int, not str"),
        (lambda: QLead.score == True, "takes int, not bool True"),  # noqa: E712  bool is an int, but not here
        (lambda: QLead.score == 1.0, "takes int, not float"),
        (lambda: QLead.medium == 5, "Medium takes str, not int 5"),
        (lambda: QLead.medium == b"x", "takes str, not bytes"),
        (lambda: QLead.is_active == 1, "IsActive takes bool, not int 1"),
        (lambda: QLead.dealer_distance_miles == 1.5, "takes Decimal or int, not float"),
        (lambda: QLead.lead_date > dt.date(2016, 8, 29), "takes datetime, not date"),
        (lambda: QLead.lead_date > "2016-08-29T00:00:00Z", "takes datetime, not str"),
        (lambda: QLead.lead_uid == str(LEAD_UID), "takes UUID, not str"),
        (lambda: QLead.medium.contains(5), "takes str, not int"),
        (lambda: QLead.medium.startswith(None), "takes str, not NoneType"),
        (lambda: QLead.medium.concat(QLead.score), "takes str, not IntExpr"),
        (lambda: QLead.medium.substring("1"), "expected an int, not str"),
        (lambda: QLead.medium.substring(True), "expected an int, not bool"),
        (lambda: QLead.score + "1", "takes int, not str"),
        (lambda: "1" + QLead.score, "takes int, not str"),
        (lambda: QLead.score + 1.5, "takes int, not float"),
        (lambda: QLead.score * True, "takes int, not bool"),
        (lambda: QLead.is_active & 5, "can only combine filters"),
        (lambda: QLead.is_active | QLead.score, "can only combine filters"),
        (lambda: 5 & QLead.is_active, "unsupported operand"),
        (lambda: ~QLead.score, "bad operand type for unary ~"),
        (lambda: -QLead.medium, "bad operand type for unary -"),
        (lambda: QLead.lead_uid > uuid.uuid4(), "not supported between"),
        (lambda: QLead.is_active > True, "not supported between"),
    ],
)
def test_wrong_python_type_is_a_type_error(build: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("(", r"\(")):
        build()


def test_missing_attributes_are_attribute_errors() -> None:
    with pytest.raises(AttributeError):
        QLead.score.contains("1")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        QLead.score.tolower()  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        QLead.prospect.nonexistent  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        QLead.lead_uid.year()  # type: ignore[attr-defined]


# --- no truth value: `if`, `and`, `or`, `not`, chained comparisons, `in` ---------------------------------


def test_if_on_a_filter_raises() -> None:
    with pytest.raises(TypeError, match=r"no truth value \(Score eq 10\).*&, \|, ~"):
        if QLead.score == 10:
            pass


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: (QLead.score == 10) and (QLead.id == 1), id="and"),
        pytest.param(lambda: (QLead.score == 10) or (QLead.id == 1), id="or"),
        pytest.param(lambda: not (QLead.score == 10), id="not"),
        pytest.param(lambda: QLead.is_active and QLead.is_qualified, id="and on a Boolean path"),
        pytest.param(lambda: not QLead.is_active, id="not on a Boolean path"),
        pytest.param(lambda: bool(QLead.medium), id="bool() of a path"),
        pytest.param(lambda: 1 < QLead.score < 10, id="chained comparison"),
        pytest.param(lambda: QLead.score in [1, 2], id="Python in (use in_)"),
        pytest.param(lambda: all([QLead.is_active]), id="all()"),
        pytest.param(lambda: bool(QLead.prospect), id="bool() of a navigation"),
    ],
)
def test_python_keywords_refuse_filters(build: Any) -> None:
    with pytest.raises(TypeError, match="(no truth value|is a path, not a filter)"):
        build()


def test_expressions_are_not_hashable() -> None:
    with pytest.raises(TypeError, match="unhashable"):
        {QLead.score == 1}


def test_str_and_repr() -> None:
    assert str(QLead.score) == "Score"
    assert str(QLead.prospect.company.name) == "Prospect/Company/Name"
    assert repr(QLead.score > 10) == "BoolExpr('Score gt 10')"
    assert repr(QLead.prospect.state) == "StringExpr('Prospect/State')"
    assert repr(QLead.prospect.company) == "QCompany('Prospect/Company')"


# --- navigation paths ------------------------------------------------------------------------------------


@cases(
    (lambda: QLead.prospect.state == "CA", "Prospect/State eq 'CA'"),
    (lambda: QLead.prospect.company.name == "Acme", "Prospect/Company/Name eq 'Acme'"),
    (lambda: QLead.prospect.company.name.startswith("A"), "startswith(Prospect/Company/Name,'A')"),
    (lambda: QLead.prospect.company.id > QLead.id, "Prospect/Company/Id gt Id"),
    (lambda: QLead.product.product_category.name == "Boats", "Product/ProductCategory/Name eq 'Boats'"),
    (lambda: QLead.dealer.name.tolower() == "x", "tolower(Dealer/Name) eq 'x'"),
    (lambda: QProspect.company.name == "Acme", "Company/Name eq 'Acme'"),
    (lambda: QLead.prospect.latitude > Decimal("34.448123"), "Prospect/Latitude gt 34.448123"),
)
def test_navigation(build: Any, expected: str) -> None:
    assert str(build()) == expected


@cases(
    (lambda m: m.t.QAirport.location.city.name == "Boise", "Location/City/Name eq 'Boise'"),
    (lambda m: m.t.QPerson.photo.name == "me", "Photo/Name eq 'me'"),
    (lambda m: m.o.QCustomer.company.address.city == "Redmond", "Company/Address/City eq 'Redmond'"),
)
def test_navigation_in_generated_services(svc: Any, build: Any, expected: str) -> None:
    assert str(build(svc)) == expected


# --- collections: lambdas and $count ---------------------------------------------------------------------


@cases(
    (lambda m: m.t.QPerson.emails.any(lambda e: e.endswith(".com")), "Emails/any(x:endswith(x,'.com'))"),
    (lambda m: m.t.QPerson.emails.any(lambda e: e == "a@b.c"), "Emails/any(x:x eq 'a@b.c')"),
    (lambda m: m.t.QPerson.emails.all(lambda e: e.contains("@")), "Emails/all(x:contains(x,'@'))"),
    (lambda m: m.t.QPerson.emails.any(), "Emails/any()"),
    (lambda m: ~m.t.QPerson.emails.any(), "not Emails/any()"),
    (lambda m: m.t.QPerson.emails.count() == 0, "Emails/$count eq 0"),
    (lambda m: m.t.QPerson.friends.any(lambda f: f.first_name == "Scott"), "Friends/any(x:x/FirstName eq 'Scott')"),
    (lambda m: m.t.QPerson.friends.all(lambda f: f.emails.any()), "Friends/all(x:x/Emails/any())"),
    (lambda m: m.t.QPerson.trips.any(), "Trips/any()"),
    (lambda m: m.t.QPerson.trips.count() > 2, "Trips/$count gt 2"),
    (lambda m: m.t.QPerson.trips.all(lambda t: t.budget >= 1000.0), "Trips/all(x:x/Budget ge 1e3)"),
    (
        lambda m: m.t.QPerson.address_info.any(lambda a: a.city.name == "Boise"),
        "AddressInfo/any(x:x/City/Name eq 'Boise')",
    ),
    (
        lambda m: m.t.QPerson.trips.any(lambda t: t.plan_items.any(lambda p: p.duration > dt.timedelta(hours=1))),
        "Trips/any(x:x/PlanItems/any(y:y/Duration gt duration'PT1H'))",
    ),
    (
        lambda m: m.t.QPerson.friends.any(lambda f: f.trips.any(lambda t: t.name == f.first_name)),
        "Friends/any(x:x/Trips/any(y:y/Name eq x/FirstName))",
    ),
    (
        lambda m: m.t.QPerson.friends.any(lambda f: f.trips.any(lambda t: t.tags.any(lambda g: g == "ski"))),
        "Friends/any(x:x/Trips/any(y:y/Tags/any(z:z eq 'ski')))",
    ),
    (
        lambda m: m.t.QPerson.friends.any(
            lambda f: f.emails.any(lambda e: e == "a") & f.trips.all(lambda t: t.tags.any())
        ),
        "Friends/any(x:x/Emails/any(y:y eq 'a') and x/Trips/all(y:y/Tags/any()))",
    ),
    (
        lambda m: m.t.QPerson.friends.any(lambda f: f.trips.count() > 1),
        "Friends/any(x:x/Trips/$count gt 1)",
    ),
    (
        lambda m: m.t.QPerson.emails.any(lambda e: e == "a") & m.t.QPerson.trips.any(lambda t: t.name == "b"),
        "Emails/any(x:x eq 'a') and Trips/any(x:x/Name eq 'b')",
    ),
    (
        lambda m: m.t.QPerson.trips.any(lambda t: (t.budget > 1.0) | t.name.contains("x")),
        "Trips/any(x:x/Budget gt 1.0 or contains(x/Name,'x'))",
    ),
    (
        lambda m: m.o.QProduct.cover_colors.any(lambda c: c == m.o.Color.RED),
        f"CoverColors/any(x:x eq {ODATANET_NS}.Color'Red')",
    ),
    (
        lambda m: m.o.QOrder.order_shelf_lifes.all(lambda d: d < dt.timedelta(days=30)),
        "OrderShelfLifes/all(x:x lt duration'P30D')",
    ),
    (
        lambda m: m.o.QCustomer.orders.any(lambda o: o.order_details.any(lambda d: d.quantity > 5)),
        "Orders/any(x:x/OrderDetails/any(y:y/Quantity gt 5))",
    ),
    (lambda m: m.t.QPerson.trips.any(lambda t: raw("x/Budget gt 1")), "Trips/any(x:x/Budget gt 1)"),
)
def test_collection(svc: Any, build: Any, expected: str) -> None:
    assert str(build(svc)) == expected


def test_lambda_variable_depth_resets_after_an_error(svc: Any) -> None:
    person = svc.t.QPerson

    def broken(friend: Any) -> Any:
        friend.trips.any(lambda trip: trip.nonexistent == 1)

    with pytest.raises(AttributeError):
        person.friends.any(broken)
    assert str(person.emails.any(lambda e: e == "a")) == "Emails/any(x:x eq 'a')"


def test_lambda_predicate_must_return_a_filter(svc: Any) -> None:
    with pytest.raises(TypeError, match="must return a filter, not bool"):
        svc.t.QPerson.emails.any(lambda e: True)
    with pytest.raises(TypeError, match="must return a filter, not StringExpr"):
        svc.t.QPerson.emails.all(lambda e: e)
    with pytest.raises(TypeError):
        svc.t.QPerson.emails.all()  # all() needs a predicate (`Products/all()` is not OData)


def test_navigation_null_tests() -> None:
    assert str(QLead.prospect == None) == "Prospect eq null"  # noqa: E711
    assert str(QLead.prospect.company != None) == "Prospect/Company ne null"  # noqa: E711


@pytest.mark.parametrize("other", ["CA", 0, QLead.dealer])
def test_navigation_compared_with_a_value_raises(other: object) -> None:
    with pytest.raises(TypeError, match="can only be compared with None"):
        QLead.prospect == other  # noqa: B015
