"""Mistakes with typed query paths, for tests/test_query_typing.py: mypy --strict must report each line marked
`# E: <fragment of the message>` and nothing else. This file is type-checked, never run.

Lines marked `# mypy misses:` are mistakes mypy cannot see (they raise TypeError or ValueError at run time, see
tests/test_query_expressions.py); the test checks that they stay unreported, so that this list of limits stays
true. The rest are correct lines that must type-check, with `assert_type` pinning what they return.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import assert_type
from uuid import UUID, uuid4

from aimbase import QCompany, QLead
from codegen.runtime.query import BoolExpr, DateExpr, DecimalExpr, IntExpr, Query, StringExpr, now, raw

UID = UUID("cc16dda6-8c50-483b-a928-cc506817cc33")
AWARE = datetime(2016, 8, 29, 15, 31, 1, tzinfo=timezone.utc)


def where(condition: BoolExpr) -> str:
    """What a query's filter takes (as `Query.filter` does)."""
    return str(condition)


# --- mistakes mypy reports -------------------------------------------------------------------------------

QLead.score > "x"  # E: Unsupported operand types for > ("IntExpr" and "str")
QLead.score <= "x"  # E: Unsupported operand types for <= ("IntExpr" and "str")
QLead.medium < 5  # E: Unsupported operand types for < ("StringExpr" and "int")
QLead.dealer_distance_miles > 1.5  # E: Unsupported operand types for > ("DecimalExpr" and "float")
QLead.lead_date > date(2016, 8, 29)  # E: Unsupported operand types for > ("DateTimeExpr" and "date")
QLead.lead_date >= "2016-08-29"  # E: Unsupported operand types for >= ("DateTimeExpr" and "str")
QLead.lead_uid > uuid4()  # E: Unsupported operand types for < ("UUID" and "GuidExpr")
QLead.is_active < True  # E: Unsupported operand types for > ("bool" and "BoolExpr")
QLead.medium == QLead.score  # E: Equatable.__eq__ is deprecated: compares an OData path with a value of another
QLead.score != QLead.lead_date  # E: Equatable.__ne__ is deprecated: compares an OData path with a value of another
QLead.medium.contains(5)  # E: Argument 1 to "contains" of "StringExpr" has incompatible type "int"
QLead.medium.startswith(QLead.score)  # E: Argument 1 to "startswith" of "StringExpr" has incompatible type
QLead.medium.matches_pattern(QLead.term)  # E: Argument 1 to "matches_pattern" of "StringExpr" has incompatible
QLead.medium.substring("1")  # E: Argument 1 to "substring" of "StringExpr" has incompatible type "str"
QLead.medium.concat(1)  # E: Argument 1 to "concat" of "StringExpr" has incompatible type "int"
QLead.score.contains("1")  # E: "IntExpr" has no attribute "contains"
QLead.score.tolower()  # E: "IntExpr" has no attribute "tolower"
QLead.lead_uid.year()  # E: "GuidExpr" has no attribute "year"
QLead.lead_date.date().hour()  # E: "DateExpr" has no attribute "hour"
QLead.prospect.nonexistent  # E: "QProspect" has no attribute "nonexistent"
QLead.prospect.company.nmae  # E: "QCompany" has no attribute "nmae"
QLead.is_active & 5  # E: Unsupported operand types for & ("BoolExpr" and "int")
QLead.is_active | QLead.score  # E: Unsupported operand types for | ("BoolExpr" and "IntExpr")
5 & QLead.is_active  # E: Unsupported operand types for & ("int" and "BoolExpr")
~QLead.score  # E: Unsupported operand type for ~ ("IntExpr")
-QLead.medium  # E: Unsupported operand type for unary - ("StringExpr")
QLead.score + "1"  # E: Argument 1 has incompatible type "str"; expected "int | Numeric[int]"
QLead.score * 1.5  # E: Argument 1 has incompatible type "float"; expected "int | Numeric[int]"
"1" + QLead.score  # E: Unsupported operand types for + ("str" and "IntExpr")
QLead.score + QLead.dealer_distance_miles  # E: Argument 1 has incompatible type "DecimalExpr"
QLead.score.in_(["a"])  # E: List item 0 has incompatible type "str"; expected "int"
QLead.medium.in_([QLead.term])  # E: List item 0 has incompatible type "StringExpr"; expected "str"
QLead.lead_uid.in_(["cc16dda6-8c50-483b-a928-cc506817cc33"])  # E: List item 0 has incompatible type "str"
raw(QLead.score > 1)  # E: Argument 1 to "raw" has incompatible type "BoolExpr"; expected "str"
where(QLead.score)  # E: Argument 1 to "where" has incompatible type "IntExpr"; expected "BoolExpr"
where(QLead.prospect)  # E: Argument 1 to "where" has incompatible type "QProspect"; expected "BoolExpr"
where(QLead.prospect == "CA")  # E: Argument 1 to "where" has incompatible type "bool"
where(QLead.prospect == QLead.dealer)  # E: Unsupported operand types for == ("QProspect" and "QDealer")

# `==` and `!=` with a value of the wrong type match a catch-all overload that is deprecated and typed `bool`:
# reported where written (error code `deprecated`, enabled in pyproject.toml) and again where used as a filter.
where(QLead.score == "ten")  # E: Argument 1 to "where" has incompatible type "bool"; expected "BoolExpr"
where(QLead.medium != 5)  # E: Argument 1 to "where" has incompatible type "bool"; expected "BoolExpr"
where(QLead.is_active == 1)  # E: Argument 1 to "where" has incompatible type "bool"; expected "BoolExpr"
where(QLead.dealer_distance_miles == 1.5)  # E: Argument 1 to "where" has incompatible type "bool"
where(QLead.lead_date == date(2016, 8, 29))  # E: Argument 1 to "where" has incompatible type "bool"
where(QLead.lead_uid == str(UID))  # E: Argument 1 to "where" has incompatible type "bool"
(QLead.score == "ten") & QLead.is_active  # E: No overload variant of "__and__" of "bool" matches argument type
QLead.is_active | (QLead.medium == 5)  # E: Unsupported operand types for | ("BoolExpr" and "bool")
ten: BoolExpr = QLead.score == "ten"  # E: Incompatible types in assignment (expression has type "bool"
Query(QLead).filter(QLead.score == "ten")  # E: Argument 1 to "filter" of "Query" has incompatible type "bool"

# --- mistakes mypy cannot see ----------------------------------------------------------------------------

QLead.score == "ten"  # E: Equatable.__eq__ is deprecated: compares an OData path with a value of another type
QLead.score == True  # mypy misses: bool is a subtype of int
QLead.score > False  # mypy misses: bool is a subtype of int
QLead.score == 2**31  # mypy misses: Edm.Int32 range (ValueError when written)
QLead.lead_date > datetime(2016, 8, 29)  # mypy misses: a naive datetime is a datetime (ValueError)
QLead.medium.in_("email")  # mypy misses: a str is an Iterable[str] (TypeError at run time)
if QLead.score == 10:  # mypy misses: __bool__ is NoReturn, the branch is just unreachable (TypeError)
    pass
(QLead.score == 10) and (QLead.id == 1)  # mypy misses: `and` calls __bool__ (TypeError at run time)

# --- correct lines: no error -----------------------------------------------------------------------------

assert_type((QLead.score > 10) & (QLead.prospect.state == "CA"), BoolExpr)
assert_type(QLead.score == 10, BoolExpr)
assert_type(QLead.score != None, BoolExpr)  # noqa: E711
assert_type(QLead.prospect == None, BoolExpr)  # noqa: E711
assert_type(10 < QLead.score, BoolExpr)
assert_type(QLead.medium >= QLead.term, BoolExpr)
assert_type(QLead.score.in_([1, 2, 3]), BoolExpr)
assert_type(QLead.medium.in_(("email", "web")), BoolExpr)
assert_type(QLead.lead_uid == UID, BoolExpr)
assert_type(QLead.lead_uid.in_([UID]), BoolExpr)
assert_type(QLead.lead_date > AWARE, BoolExpr)
assert_type(QLead.lead_date < now(), BoolExpr)
assert_type(QLead.lead_date.date() == date(2016, 8, 29), BoolExpr)
assert_type(QLead.lead_date.date(), DateExpr)
assert_type(QLead.lead_date.year() == 2016, BoolExpr)
assert_type(QLead.dealer_distance_miles == Decimal("1.10"), BoolExpr)
assert_type(QLead.dealer_distance_miles > 3, BoolExpr)
assert_type(QLead.dealer_distance_miles * 2, DecimalExpr)
assert_type(QLead.score + 1, IntExpr)
assert_type(1 + QLead.score, IntExpr)
assert_type(100 / QLead.score, IntExpr)
assert_type(7 % QLead.score, IntExpr)
assert_type(-(QLead.score - QLead.id) * 2, IntExpr)
assert_type(QLead.medium.length(), IntExpr)
assert_type(QLead.medium.tolower().concat(QLead.term).substring(1, QLead.score), StringExpr)
assert_type(QLead.medium.contains("x") | ~QLead.is_active, BoolExpr)
assert_type(QLead.medium.matches_pattern("^A.*e$"), BoolExpr)
assert_type(QLead.is_active == True, BoolExpr)  # noqa: E712
assert_type(QLead.prospect.company, QCompany)
assert_type(QLead.prospect.company.name, StringExpr)
assert_type(QLead.term.is_null(), BoolExpr)
assert_type(raw("Score gt 1") & QLead.is_active, BoolExpr)
where(QLead.score == None)  # noqa: E711
where((QLead.score > 10) & (QLead.prospect.state == "CA"))
Query(QLead).filter(QLead.score > 10, QLead.prospect.state == "CA")

reveal_type(QLead.prospect.company.name)  # N: Revealed type is "codegen.runtime.query.expressions.StringExpr"
