"""Shared by tests/test_e2e.py and tests/test_e2e_async.py (not a test module): the sandbox settings, the SQL
oracle, and the table of typed filters with what each must select.

Every expected result is computed from the sandbox's own SQLite data (`Sandbox.store.execute`) by SQL written
here by hand, independently of the sandbox's OData-to-SQL translator: `t` is the row of the entity set, stored
values are the wire values (`Edm.DateTimeOffset` as text with its own offset, `Edm.Decimal` as its digits,
`Edm.Boolean` as 0/1, `Edm.Guid` as lower-case text). Where SQLite cannot say what OData means (Unicode case
mapping, exact decimals, regular expressions) the case gives a Python predicate over the stored rows instead.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import httpx

from aimbase import QDealer, QLead, QProduct, QProspect
from codegen.runtime.query import BoolExpr, OrderKey, asc, desc, now, raw
from codegen.runtime.query.expressions import Expression
from codegen.sandbox import Sandbox
from codegen.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
SPEC = load_spec(ROOT / "specs" / "aimbase" / "codegen.toml")
ROWS, SEED, PAGE = 600, 11, 100  # 600 leads, 400 prospects; the server's own pages hold 100 entities
SERVICE = "/odata/V2"
USER = PASSWORD = "demo"

CST = dt.timezone(dt.timedelta(hours=-6))
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))

Row = dict[str, Any]

# Entity set -> (client attribute, query class).
SETS: dict[str, tuple[str, Any]] = {
    "Leads": ("leads", QLead),
    "Prospects": ("prospects", QProspect),
    "Dealers": ("dealers", QDealer),
    "Products": ("products", QProduct),
}


def utc(column: str) -> str:
    """SQL for a stored DateTimeOffset as fixed-width UTC text (SQLite applies the offset itself)."""
    return f"strftime('%Y-%m-%dT%H:%M:%f', {column})"


def sql_literal_time(value: dt.datetime) -> str:
    return "'" + value.isoformat() + "'"


PROSPECT = "(SELECT p.{col} FROM Prospects p WHERE p.Id = t.ProspectId)"
COMPANY = "(SELECT c.Name FROM Prospects p JOIN Companies c ON c.Id = p.CompanyId WHERE p.Id = t.ProspectId)"
BRAND = "(SELECT b.Code FROM Products p JOIN Brands b ON b.Id = p.BrandId WHERE p.Id = t.ProductId)"


def dealer_products(condition: str, *, dealer: str = "t.Id", every: bool = False) -> str:
    """SQL for `Products/any(p: condition)` (or `all`) of a dealer, through the link table."""
    link = f"SELECT 1 FROM Dealers__Products l JOIN Products p ON p.Id = l.t_Id WHERE l.s_Id = {dealer}"
    if every:
        return f"NOT EXISTS ({link} AND ({condition}) IS NOT 1)"
    return f"EXISTS ({link} AND ({condition}) IS 1)"


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


@attrs.frozen
class Case:
    """A typed filter on an entity set, and the oracle for what it selects: SQL over `t`, or a predicate.

    `trivial`: the data may give this filter no match, or every entity (the check is still exact)."""

    id: str
    entity_set: str
    filter: BoolExpr
    where: str | None = None
    check: Callable[[Row], bool] | None = None
    trivial: bool = False


def _case(entity_set: str, expression: BoolExpr, where: str | Callable[[Row], bool], **kw: Any) -> Case:
    oracle = {"where": where} if isinstance(where, str) else {"check": where}
    return Case(str(expression), entity_set, expression, **oracle, **kw)


L, P, D, PR = "Leads", "Prospects", "Dealers", "Products"
SINCE = dt.datetime(2025, 1, 1, tzinfo=IST)  # 2024-12-31T18:30Z: an offset far from the data's -05/-06
BEFORE = dt.datetime(2024, 6, 1, 12, 0, tzinfo=CST)

FILTER_CASES: list[Case] = [
    # --- comparisons per type: Int32, String, Decimal, DateTimeOffset with offsets, Boolean ---------------
    _case(L, QLead.score > 50, "t.Score > 50"),
    _case(L, QLead.score <= 20, "t.Score <= 20"),
    _case(L, QLead.score != 75, "t.Score != 75"),
    _case(L, QLead.dealer_distance > 1_000_000, "t.DealerDistance > 1000000"),  # nullable: null is not greater
    _case(L, QLead.follow_up_status_code == "Contacted", "t.FollowUpStatusCode = 'Contacted'"),
    _case(L, QLead.follow_up_status_code != "Contacted", "t.FollowUpStatusCode IS NOT 'Contacted'"),  # nulls too
    _case(L, QLead.medium > "p", "t.Medium > 'p'"),  # case-sensitive order: 'Phone' < 'p' < 'social'
    _case(P, QProspect.last_name == "D'Angelo", "t.LastName = 'D''Angelo'"),
    _case(
        L,
        QLead.dealer_distance_miles < Decimal("250.50"),
        lambda r: r["DealerDistanceMiles"] is not None and Decimal(r["DealerDistanceMiles"]) < Decimal("250.5"),
    ),
    _case(
        P,
        (QProspect.latitude >= Decimal("40.5")) & (QProspect.longitude < -90),
        lambda r: r["Latitude"] is not None
        and Decimal(r["Latitude"]) >= Decimal("40.5")
        and Decimal(r["Longitude"]) < -90,
    ),
    _case(L, QLead.lead_date >= SINCE, f"{utc('t.LeadDate')} >= {utc(sql_literal_time(SINCE))}"),
    _case(L, QLead.viewed_date < BEFORE, f"{utc('t.ViewedDate')} < {utc(sql_literal_time(BEFORE))}"),
    _case(L, QLead.sent_date > QLead.viewed_date, f"{utc('t.SentDate')} > {utc('t.ViewedDate')}"),  # two paths
    _case(L, QLead.is_qualified, "t.IsQualified = 1"),
    _case(L, QLead.is_active == False, "t.IsActive = 0"),  # noqa: E712 (builds a filter)
    _case(P, QProspect.cass_certified == True, "t.CassCertified IS 1"),  # noqa: E712
    _case(P, QProspect.cass_certified != True, "t.CassCertified IS NOT 1"),  # noqa: E712 (nulls too)
    # --- null tests and in ------------------------------------------------------------------------------
    _case(L, QLead.external_id.is_not_null(), "t.ExternalId IS NOT NULL"),
    _case(L, QLead.viewed_date.is_null(), "t.ViewedDate IS NULL"),
    _case(L, QLead.dealer_distance == None, "t.DealerDistance IS NULL"),  # noqa: E711
    _case(L, QLead.prospect == None, "t.ProspectId IS NULL"),  # noqa: E711 (a navigation)
    _case(L, QLead.product != None, "t.ProductId IS NOT NULL"),  # noqa: E711
    _case(L, QLead.lead_status_code.in_(["Held", "Rejected"]), "t.LeadStatusCode IN ('Held', 'Rejected')"),
    _case(L, QLead.score.in_([10, 20, 30, 40, 50]), "t.Score IN (10, 20, 30, 40, 50)"),
    _case(PR, QProduct.model_year.in_([2023, 2024]), "t.ModelYear IN (2023, 2024)"),
    # --- and / or / not, with the parentheses OData's precedence needs ------------------------------------
    _case(
        L,
        (QLead.score > 80) | (QLead.score < 20) & QLead.is_active,
        "t.Score > 80 OR (t.Score < 20 AND t.IsActive = 1)",
    ),
    _case(
        L,
        ((QLead.score > 80) | (QLead.score < 20)) & QLead.is_active,
        "(t.Score > 80 OR t.Score < 20) AND t.IsActive = 1",
    ),
    _case(
        L,
        ~((QLead.score > 50) | QLead.is_qualified) & (QLead.condition_code == "N"),
        "NOT (t.Score > 50 OR t.IsQualified = 1) AND t.ConditionCode IS 'N'",
    ),
    _case(L, ~(QLead.condition_code == "N"), "t.ConditionCode IS NOT 'N'"),  # null eq 'N' is false: not -> true
    _case(L, ~QLead.medium.contains("e"), "NOT (instr(t.Medium, 'e') > 0)"),  # contains(null) is null: not null
    # --- string functions -------------------------------------------------------------------------------
    _case(P, QProspect.last_name.contains("ü"), "instr(t.LastName, 'ü') > 0"),
    _case(P, QProspect.city.startswith("Qu"), "substr(t.City, 1, 2) = 'Qu'"),
    _case(P, QProspect.email.endswith(".org"), "substr(t.Email, -4) = '.org'"),
    _case(P, QProspect.city.tolower() == "québec", lambda r: r["City"] is not None and r["City"].lower() == "québec"),
    _case(
        P,  # SQLite's upper() maps ASCII only; OData's toupper is Unicode
        QProspect.last_name.toupper() == "ØSTERGAARD",
        lambda r: r["LastName"] is not None and r["LastName"].upper() == "ØSTERGAARD",
    ),
    _case(
        P,
        QProspect.first_name.toupper().startswith("ŁU"),
        lambda r: r["FirstName"] is not None and r["FirstName"].upper().startswith("ŁU"),
    ),
    _case(P, QProspect.email.length() < 25, "length(t.Email) < 25"),
    _case(P, QProspect.first_name.length() == 6, "length(t.FirstName) = 6"),  # characters: 'Łukasz' is 6
    _case(P, QProspect.last_name.indexof("an") == 1, "instr(t.LastName, 'an') - 1 = 1"),
    _case(P, QProspect.email.indexof("@") > 15, "instr(t.Email, '@') - 1 > 15"),
    _case(P, QProspect.postal_code.substring(0, 2) == "33", "substr(t.PostalCode, 1, 2) = '33'"),
    _case(P, QProspect.postal_code.substring(3) == "01", "substr(t.PostalCode, 4) = '01'"),
    _case(P, QProspect.city.trim() == "Seattle", "trim(t.City) = 'Seattle'"),
    _case(
        P,
        QProspect.first_name.concat(" ").concat(QProspect.last_name).startswith("Wei F"),
        "substr(t.FirstName || ' ' || t.LastName, 1, 5) = 'Wei F'",
    ),
    _case(
        P,
        QProspect.email.matches_pattern(r"^[a-z]+\.[a-z]+[0-9]*@example\.org$"),
        lambda r: r["Email"] is not None and re.search(r"^[a-z]+\.[a-z]+[0-9]*@example\.org$", r["Email"]) is not None,
    ),
    # --- date and time functions: parts in the value's own offset ---------------------------------------
    _case(L, QLead.lead_date.year() == 2024, "substr(t.LeadDate, 1, 4) = '2024'"),
    _case(L, QLead.lead_date.month() == 3, "CAST(substr(t.LeadDate, 6, 2) AS INTEGER) = 3"),
    _case(L, QLead.lead_date.day() == 15, "CAST(substr(t.LeadDate, 9, 2) AS INTEGER) = 15"),
    _case(L, QLead.lead_date.hour() >= 22, "CAST(substr(t.LeadDate, 12, 2) AS INTEGER) >= 22"),
    _case(L, QLead.lead_date.minute() < 5, "CAST(substr(t.LeadDate, 15, 2) AS INTEGER) < 5"),
    _case(L, QLead.lead_date.second() == 30, "CAST(substr(t.LeadDate, 18, 2) AS INTEGER) = 30"),
    _case(L, QLead.viewed_date.year() == 2024, "substr(t.ViewedDate, 1, 4) = '2024'"),
    _case(L, QLead.lead_date.date() >= dt.date(2025, 3, 1), "substr(t.LeadDate, 1, 10) >= '2025-03-01'"),
    _case(L, QLead.lead_date.time() < dt.time(6, 30), "substr(t.LeadDate, 12, 8) < '06:30:00'"),
    _case(L, QLead.lead_date < now(), f"{utc('t.LeadDate')} < strftime('%Y-%m-%dT%H:%M:%f', 'now')", trivial=True),
    # --- arithmetic -------------------------------------------------------------------------------------
    _case(L, QLead.score + 10 >= 100, "t.Score + 10 >= 100"),
    _case(L, QLead.score * 3 - 5 > 200, "t.Score * 3 - 5 > 200"),
    _case(L, QLead.score % 7 == 3, "t.Score % 7 = 3"),
    _case(L, QLead.score / 10 == 7, "t.Score / 10 = 7"),  # Int32 div Int32 truncates
    _case(L, -QLead.score < -90, "-t.Score < -90"),
    _case(L, QLead.score.sub(QLead.dealer_distance.mod(100)) > 50, "t.Score - (t.DealerDistance % 100) > 50"),
    _case(
        L,
        QLead.dealer_distance_miles * 2 > Decimal("1000.5"),
        lambda r: r["DealerDistanceMiles"] is not None and Decimal(r["DealerDistanceMiles"]) * 2 > Decimal("1000.5"),
    ),
    # --- navigation paths -------------------------------------------------------------------------------
    _case(L, QLead.prospect.state == "TX", PROSPECT.format(col="State") + " = 'TX'"),
    _case(L, QLead.prospect.country_code == "CA", PROSPECT.format(col="CountryCode") + " = 'CA'"),
    _case(L, QLead.prospect.state == "CA", PROSPECT.format(col="State") + " = 'CA'", trivial=True),
    _case(L, QLead.prospect.company.name == "Gärtner GmbH", COMPANY + " = 'Gärtner GmbH'"),
    _case(L, QLead.prospect.company.name == "O'Connor & Sons", COMPANY + " = 'O''Connor & Sons'"),  # & and '
    _case(L, QLead.product.brand.code == "INF", BRAND + " = 'INF'"),
    _case(
        L,
        QLead.prospect.city.tolower().contains("lake"),
        f"instr(lower({PROSPECT.format(col='City')}), 'lake') > 0",  # ASCII needle: lower() is exact here
    ),
    _case(
        L,  # a collection behind a single-valued navigation
        QLead.dealer.products.any(lambda p: p.model_year >= 2024),
        dealer_products("p.ModelYear >= 2024", dealer="t.DealerId"),
    ),
    # --- any / all over Dealer/Products (8 dealers; every product is active, two are from 2019) ---------------
    _case(
        D,
        QDealer.products.any(lambda p: p.brand.code == "INF"),
        dealer_products("(SELECT b.Code FROM Brands b WHERE b.Id = p.BrandId) = 'INF'"),
    ),
    _case(
        D,
        ~QDealer.products.any(lambda p: p.brand.code == "INF"),
        "NOT " + dealer_products("(SELECT b.Code FROM Brands b WHERE b.Id = p.BrandId) = 'INF'"),
    ),
    _case(D, QDealer.products.all(lambda p: p.model_year >= 2020), dealer_products("p.ModelYear >= 2020", every=True)),
    _case(
        D,  # null ne 'LKS' is true: a product without a brand passes
        QDealer.products.all(lambda p: p.brand.code != "LKS"),
        dealer_products("(SELECT b.Code FROM Brands b WHERE b.Id = p.BrandId) IS NOT 'LKS'", every=True),
    ),
    _case(D, QDealer.products.any(lambda p: p.brand == None), dealer_products("p.BrandId IS NULL")),  # noqa: E711
    _case(
        D,
        QDealer.products.any(lambda p: p.brand.code == "INF") & QDealer.products.any(lambda p: p.model_year == 2024),
        dealer_products("(SELECT b.Code FROM Brands b WHERE b.Id = p.BrandId) = 'INF'")
        + " AND "
        + dealer_products("p.ModelYear = 2024"),
    ),
    _case(D, QDealer.products.all(lambda p: p.is_active), dealer_products("p.IsActive = 1", every=True), trivial=True),
    _case(D, QDealer.products.any(), "EXISTS (SELECT 1 FROM Dealers__Products l WHERE l.s_Id = t.Id)", trivial=True),
    _case(
        D, ~QDealer.products.any(), "NOT EXISTS (SELECT 1 FROM Dealers__Products l WHERE l.s_Id = t.Id)", trivial=True
    ),
    # --- raw() ------------------------------------------------------------------------------------------
    _case(L, raw("Score gt 50 and IsQualified"), "t.Score > 50 AND t.IsQualified = 1"),
    _case(
        L,
        raw("Score gt 50") & (QLead.prospect.state == "TX"),
        "t.Score > 50 AND " + PROSPECT.format(col="State") + " = 'TX'",
    ),
]

# Filters the typed layer writes correctly but the sandbox does not evaluate: each is a 400 (BadRequestError).
UNSUPPORTED: list[tuple[str, BoolExpr]] = [
    ("collection $count (odata-query cannot tokenize Products/$count)", QDealer.products.count() > 3),
    ("duration arithmetic on dates", raw("LeadDate lt now() sub duration'P1D'")),
    ("enum literal (odata-query cannot parse Namespace.Type'Member')", raw("ConditionCode eq AimbaseOData.Code'N'")),
    ("has with an enum literal", raw("ConditionCode has AimbaseOData.Code'N'")),
    ("type cast / qualified name", raw("AimbaseOData.Lead/Score gt 1")),
    ("geo functions", raw("geo.distance(Prospect, Prospect) lt 5")),
]


# Orderings (with the query-side keys) and the SQL ORDER BY over `t` that must give the same order.
ORDERINGS: list[tuple[str, Sequence[Expression | OrderKey], str]] = [
    ("status asc, score desc", [asc(QLead.lead_status_code), desc(QLead.score)], "t.LeadStatusCode, t.Score DESC"),
    (
        "nullable string (nulls first), then instant desc",
        [QLead.follow_up_status_code, desc(QLead.lead_date)],
        f"t.FollowUpStatusCode, {utc('t.LeadDate')} DESC",
    ),
    ("instants across offsets", [desc(QLead.lead_date)], f"{utc('t.LeadDate')} DESC"),
    ("decimal by value, not text", [desc(QLead.dealer_distance_miles)], "CAST(t.DealerDistanceMiles AS REAL) DESC"),
    (
        "navigation path",
        [desc(QLead.prospect.state), asc(QLead.score)],
        PROSPECT.format(col="State") + " DESC, t.Score",
    ),
    ("expression", [desc(QLead.score % 10), QLead.id], "t.Score % 10 DESC, t.Id"),
]


# --- the oracle ------------------------------------------------------------------------------------------


def sql_ids(
    sandbox: Sandbox, entity_set: str, where: str = "1", order: str = "t.Id", params: Sequence[Any] = ()
) -> list[Any]:
    """Keys of the entities of `entity_set` (aliased `t`) matching `where`, in `order` then by key."""
    tail = "" if order == "t.Id" else ", t.Id"
    rows = sandbox.store.execute(f'SELECT t.Id FROM "{entity_set}" AS t WHERE {where} ORDER BY {order}{tail}', params)
    return [row["Id"] for row in rows]


def stored_rows(sandbox: Sandbox, entity_set: str) -> list[Row]:
    return sandbox.store.execute(f'SELECT * FROM "{entity_set}" ORDER BY Id')


def expected_ids(sandbox: Sandbox, case: Case) -> list[Any]:
    if case.where is not None:
        return sql_ids(sandbox, case.entity_set, case.where)
    assert case.check is not None
    return [row["Id"] for row in stored_rows(sandbox, case.entity_set) if case.check(row)]


def lead(sandbox: Sandbox, key: int) -> Row:
    """One lead as stored."""
    return sandbox.store.execute("SELECT * FROM Leads WHERE Id = ?", [key])[0]


def search_ids(sandbox: Sandbox, entity_set: str, groups: list[list[str]]) -> list[Any]:
    """`$search` the sandbox's way: any group whose words all occur (ignoring case) in some string property."""
    columns = [c.name for c in sandbox.model.tables[entity_set].string_columns()]

    def has(row: Row, word: str) -> bool:
        return any(word.casefold() in row[c].casefold() for c in columns if row[c] is not None)

    return [
        row["Id"]
        for row in stored_rows(sandbox, entity_set)
        if any(all(has(row, word) for word in group) for group in groups)
    ]


def editable_columns(sandbox: Sandbox, entity_set: str) -> set[str]:
    return {c.name for c in sandbox.model.tables[entity_set].columns.values() if c.editable}


def read_only_columns(sandbox: Sandbox, entity_set: str) -> list[str]:
    return [c.name for c in sandbox.model.tables[entity_set].columns.values() if not c.editable]


# --- request recording -----------------------------------------------------------------------------------


@attrs.frozen
class Seen:
    method: str
    url: str
    headers: httpx.Headers
    content: bytes


class Recorder:
    """An httpx request hook (sync or async) recording every request a client sends, login included."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> None:
        with self._lock:
            self.seen.append(Seen(request.method, str(request.url), request.headers, request.content))

    async def hook(self, request: httpx.Request) -> None:
        self(request)

    def odata(self, method: str | None = None) -> list[Seen]:
        """The requests to the OData service (not the login), optionally of one method."""
        return [s for s in self.seen if SERVICE in s.url and (method is None or s.method == method)]

    def logins(self) -> int:
        return sum(1 for s in self.seen if s.url.endswith("/api/Security/Login"))
