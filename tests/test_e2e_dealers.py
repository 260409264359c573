"""The second Aimbase service, specs/aimbase-dealers, end to end: its generated package (`aimbase_dealers`,
installed beside `aimbase`) against its sandbox over real HTTP on 127.0.0.1, sync and async.

Every result is compared with SQL over the sandbox's own SQLite data, and every change is read back both
through the client and from the store. One sandbox (40 dealers, 60 products, 5 brands; server pages of 10,
so a list of all dealers takes four pages) is shared by the module. Tests that change data use rows of their
own: the sync tests dealers 31-33 and brand 4, the async ones dealers 36-38 and brand 5.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import inspect
import json
from collections.abc import Callable, Coroutine, Iterator
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import pytest

import aimbase
import aimbase.client
from aimbase_dealers import (
    AimbaseDealersClient,
    AsyncAimbaseDealersClient,
    Brand,
    Dealer,
    Product,
    QBrand,
    QDealer,
    QProduct,
)
from aimbase_dealers.client import AsyncDealersEntitySet, BrandsEntitySet, DealersEntitySet
from codegen.runtime import UNSET, structure, unstructure
from codegen.runtime.http import BadRequestError, ClientValidationError, NotFoundError, RetryPolicy
from codegen.runtime.http.jsonio import loads
from codegen.runtime.query import BoolExpr, desc, expand
from codegen.sandbox import Sandbox, SandboxServer, create_app
from codegen.spec import load_spec
from e2e_support import Recorder

ROOT = Path(__file__).resolve().parents[1]
SPEC = load_spec(ROOT / "specs" / "aimbase-dealers" / "codegen.toml")
ROWS, SEED, PAGE = 3000, 11, 10  # for 3000 rows the Aimbase flavour seeds 40 dealers, 60 products
USER = PASSWORD = "demo"
NO_WAIT = RetryPolicy(backoff_base=0.0, sleep=lambda _: None)

Row = dict[str, Any]


# --- fixtures and the SQL oracle ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    app = create_app(SPEC, rows=ROWS, seed=SEED, page_size=PAGE)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


@pytest.fixture(scope="module")
def sandbox(server: SandboxServer) -> Sandbox:
    found: Sandbox = server.app.state.sandbox
    return found


def recording_client(url: str, recorder: Recorder) -> AimbaseDealersClient:
    http = httpx.Client(event_hooks={"request": [recorder]}, timeout=10)
    return AimbaseDealersClient(url, client=http, username=USER, password=PASSWORD, retry=NO_WAIT)


def async_client(url: str, recorder: Recorder) -> AsyncAimbaseDealersClient:
    http = httpx.AsyncClient(event_hooks={"request": [recorder.hook]}, timeout=10)
    return AsyncAimbaseDealersClient(url, client=http, username=USER, password=PASSWORD)


def in_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an `async def` test with `asyncio.run` (fixtures and parameters pass through)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def sql_ids(sandbox: Sandbox, table: str, where: str = "1", order: str = "t.Id") -> list[Any]:
    rows = sandbox.store.execute(f'SELECT t.Id FROM "{table}" AS t WHERE {where} ORDER BY {order}, t.Id')
    return [row["Id"] for row in rows]


def stored(sandbox: Sandbox, table: str, key: int) -> Row:
    return sandbox.store.execute(f'SELECT * FROM "{table}" WHERE Id = ?', [key])[0]


def linked_products(sandbox: Sandbox, dealer: int) -> list[Row]:
    """The dealer's products through the link table, with their brand's code, by product key."""
    return sandbox.store.execute(
        "SELECT p.Id, p.Name, p.Code, b.Code AS Brand FROM Dealers__Products l JOIN Products p ON p.Id = l.t_Id "
        "LEFT JOIN Brands b ON b.Id = p.BrandId WHERE l.s_Id = ? ORDER BY p.Id",
        [dealer],
    )


def editable_columns(sandbox: Sandbox, table: str) -> set[str]:
    return {c.name for c in sandbox.model.tables[table].columns.values() if c.editable}


def patch_keywords(method: Callable[..., Any], model: type[Any]) -> set[str]:
    """The wire names of a patch method's property parameters."""
    parameters = inspect.signature(method).parameters
    keywords = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY} - {"etag", "return_entity"}
    assert all(parameters[name].default is UNSET for name in keywords)
    wire = {f.name: f.metadata["odata_wire"] for f in model.__attrs_attrs__ if "odata_wire" in f.metadata}
    return {wire[name] for name in keywords}


BRAND_CODE = "(SELECT b.Code FROM Brands b WHERE b.Id = p.BrandId)"
LINKED = "SELECT 1 FROM Dealers__Products l JOIN Products p ON p.Id = l.t_Id WHERE l.s_Id = t.Id"

# (entity set, typed filter, the SQL over `t` that must select the same rows)
FILTERS: list[tuple[str, BoolExpr, str]] = [
    ("Dealers", (QDealer.state == "FL") & QDealer.is_active, "t.State = 'FL' AND t.IsActive = 1"),
    ("Dealers", QDealer.country_code != "US", "t.CountryCode IS NOT 'US'"),
    ("Dealers", QDealer.dealer_type_code == "D", "t.DealerTypeCode = 'D'"),
    ("Dealers", QDealer.name.contains("'"), "instr(t.Name, '''') > 0"),
    ("Dealers", QDealer.mfg_dealer_nbr.in_(["4601", "4610", "4620"]), "t.MfgDealerNbr IN ('4601', '4610', '4620')"),
    (
        "Dealers",
        QDealer.products.any(lambda p: p.brand.code == "TRV"),
        f"EXISTS ({LINKED} AND {BRAND_CODE} = 'TRV')",
    ),
    (
        "Dealers",
        QDealer.products.all(lambda p: p.model_year >= 2021),
        f"NOT EXISTS ({LINKED} AND (p.ModelYear >= 2021) IS NOT 1)",
    ),
    ("Products", QProduct.brand.code == "INF", "(SELECT b.Code FROM Brands b WHERE b.Id = t.BrandId) = 'INF'"),
    ("Brands", QBrand.manufacturer_code == "INFMAR", "t.ManufacturerCode = 'INFMAR'"),
]


# --- sync --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entity_set, condition, where", FILTERS, ids=[str(f[1]) for f in FILTERS])
def test_typed_filter_selects_what_sql_selects(
    server: SandboxServer, sandbox: Sandbox, entity_set: str, condition: BoolExpr, where: str
) -> None:
    recorder = Recorder()
    with recording_client(server.url, recorder) as client:
        found = getattr(client, entity_set.lower()).query().filter(condition).list()
    expected = sql_ids(sandbox, entity_set, where)
    assert [entity.id for entity in found] == expected
    assert 0 < len(expected) < len(sql_ids(sandbox, entity_set))  # the filter tells rows apart
    assert recorder.logins() == 1 and len(recorder.odata("GET")) >= 1


def test_every_dealer_across_pages_with_an_order(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    with recording_client(server.url, recorder) as client:
        dealers = client.dealers.query().order_by(desc(QDealer.state), QDealer.name).list()
    assert [d.id for d in dealers] == sql_ids(sandbox, "Dealers", order="t.State DESC, t.Name")
    assert len(recorder.odata("GET")) == 4  # 40 dealers, pages of 10: the client followed every next link
    assert all(isinstance(d, Dealer) and d.create_date.tzinfo is not None for d in dealers)


def test_get_a_dealer_with_its_products_and_their_brands(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    products = expand(
        QDealer.products, QProduct.brand, select=[QProduct.id, QProduct.name, QProduct.code], order_by=QProduct.id
    )
    with recording_client(server.url, recorder) as client:
        dealer = client.dealers.get(2, expand=[products])
    assert recorder.odata("GET")[-1].url.endswith(
        "/odata/V2/Dealers(2)?$expand=Products($select=Id,Name,Code;$expand=Brand;$orderby=Id)"
    )
    row, linked = stored(sandbox, "Dealers", 2), linked_products(sandbox, 2)
    assert (dealer.id, dealer.name, dealer.email, dealer.mfg_dealer_nbr) == (2, row["Name"], row["EMail"], "4601")
    assert len(linked) >= 3
    assert dealer.products is not None
    got = [(p.id, p.name, p.code, p.brand.code if p.brand else None) for p in dealer.products]
    assert got == [(r["Id"], r["Name"], r["Code"], r["Brand"]) for r in linked]
    with pytest.raises(AttributeError):
        dealer.products[0].is_active  # not in the nested $select


def test_patch_then_get(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    before = stored(sandbox, "Dealers", 31)
    with recording_client(server.url, recorder) as client:
        seen = client.dealers.get(31)
        result = client.dealers.patch(
            31, name="Zoë's O'Brien Marine & Sons", city="Montréal", email_cc=None, is_lead_held=True
        )
        body = loads(recorder.odata("PATCH")[-1].content)
        after = client.dealers.get(31)
    assert result is None
    assert body == {"Name": "Zoë's O'Brien Marine & Sons", "City": "Montréal", "EmailCC": None, "IsLeadHeld": True}
    assert (after.name, after.city, after.email_cc, after.is_lead_held) == (
        "Zoë's O'Brien Marine & Sons",
        "Montréal",
        None,
        True,
    )
    row = stored(sandbox, "Dealers", 31)
    assert (row["Name"], row["City"], row["EmailCC"], row["IsLeadHeld"]) == (
        "Zoë's O'Brien Marine & Sons",
        "Montréal",
        None,
        1,
    )
    assert {k: v for k, v in row.items() if k not in body} == {k: v for k, v in before.items() if k not in body}
    untouched = {k: v for k, v in unstructure(seen).items() if k not in body and not k.startswith("@")}
    assert {k: v for k, v in unstructure(after).items() if k in untouched} == untouched


def test_patch_with_an_entity_as_key_returns_the_changed_entity(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    with recording_client(server.url, recorder) as client:
        dealer = client.dealers.get(32)
        changed = client.dealers.patch(dealer, time_zone="Pacific Standard Time", phone=None, return_entity=True)
        brand = client.brands.patch(4, name="Nordström Outdoor & Co", is_active=False, return_entity=True)
    assert recorder.odata("PATCH")[0].url.endswith("/odata/V2/Dealers(32)")
    assert isinstance(changed, Dealer) and (changed.id, changed.time_zone, changed.phone) == (
        32,
        "Pacific Standard Time",
        None,
    )
    assert (stored(sandbox, "Dealers", 32)["TimeZone"], stored(sandbox, "Dealers", 32)["Phone"]) == (
        "Pacific Standard Time",
        None,
    )
    assert isinstance(brand, Brand) and (brand.name, brand.is_active) == ("Nordström Outdoor & Co", False)
    assert (stored(sandbox, "Brands", 4)["Name"], stored(sandbox, "Brands", 4)["IsActive"]) == (
        "Nordström Outdoor & Co",
        0,
    )


@pytest.mark.parametrize("cls, entity_set", [(DealersEntitySet, "Dealers"), (BrandsEntitySet, "Brands")])
def test_patch_parameters_are_exactly_what_the_server_lets_change(
    sandbox: Sandbox, cls: type[Any], entity_set: str
) -> None:
    assert patch_keywords(cls.patch, cls.__model__) == editable_columns(sandbox, entity_set)


def test_what_the_csdl_forbids_is_refused(server: SandboxServer, sandbox: Sandbox) -> None:
    """MaxLength is checked before sending; computed, immutable and non-updatable properties are not
    parameters, and the sandbox refuses them in a raw PATCH (Products: no property at all)."""
    recorder = Recorder()
    dealer, brand, product = (
        stored(sandbox, "Dealers", 33),
        stored(sandbox, "Brands", 4),
        stored(sandbox, "Products", 1201),
    )
    with recording_client(server.url, recorder) as client:
        with pytest.raises(ClientValidationError, match="MaxLength"):
            client.brands.patch(4, manufacturer_code="INFMARX")
        assert not hasattr(client.products, "patch")
        for path, name, value in [
            ("Dealers(33)", "MfgDealerNbr", "9999"),  # immutable
            ("Dealers(33)", "DealerTypeCode", "D"),  # computed
            ("Products(1201)", "Name", "Renamed"),  # non-updatable
        ]:
            with pytest.raises(BadRequestError) as raised:
                client.session.request("PATCH", path, json={name: value})
            assert raised.value.target == name
    assert len(recorder.odata("PATCH")) == 3  # the MaxLength mistake was never sent
    assert (stored(sandbox, "Dealers", 33), stored(sandbox, "Brands", 4)) == (dealer, brand)
    assert stored(sandbox, "Products", 1201) == product


def test_the_documented_bound_action(server: SandboxServer, sandbox: Sandbox) -> None:
    """SetDealerRadius: the sandbox's generic handler answers (no body is documented, so no result); an unknown
    dealer is a 404, as the Dealer Radius page says."""
    recorder = Recorder()
    with recording_client(server.url, recorder) as client:
        client.dealers.set_dealer_radius(1, brand_id=2, radius=50)
        with pytest.raises(NotFoundError):
            client.dealers.navigate(999).set_dealer_radius(brand_id=2, radius=50)
    sent = recorder.odata("POST")[0]
    assert sent.url.endswith("/odata/V2/Dealers(1)/AimbaseOData.DealerMethods.SetDealerRadius")
    assert loads(sent.content) == {"BrandId": 2, "Radius": 50}


def test_assign_and_unassign_a_product_through_ref_links(server: SandboxServer, sandbox: Sandbox) -> None:
    """Aimbase's Dealer Product Assign: POST Dealers(id)/Products/$ref {"@odata.id": ".../Products(7)"}."""
    recorder = Recorder()
    unlinked = sql_ids(sandbox, "Products", "t.Id NOT IN (SELECT t_Id FROM Dealers__Products WHERE s_Id = 33)")
    product = unlinked[0]
    with recording_client(server.url, recorder) as client:
        refs = client.dealers.navigate(33).products_refs
        refs.add(product)
        assert product in [r["Id"] for r in linked_products(sandbox, 33)]
        listed = refs.list()
        navigated = [p.id for p in client.dealers.navigate(33).products.query().filter(QProduct.id == product).list()]
        refs.remove(product)
        with pytest.raises(NotFoundError):
            refs.add(10**6)  # no such product
    posted = recorder.odata("POST")[0]
    assert posted.url == f"{server.url}/odata/V2/Dealers(33)/Products/$ref"
    assert json.loads(posted.content) == {"@odata.id": f"{server.url}/odata/V2/Products({product})"}
    assert f"{server.url}/odata/V2/Products({product})" in listed and navigated == [product]
    assert product not in [r["Id"] for r in linked_products(sandbox, 33)]


def test_both_aimbase_packages_live_side_by_side() -> None:
    """Two services of one vendor in one process: distributions, modules and classes of their own."""
    assert [metadata.distribution(name).metadata["Name"] for name in ("aimbase", "aimbase-dealers")] == [
        "aimbase",
        "aimbase-dealers",
    ]
    assert (aimbase.Dealer.__module__, Dealer.__module__) == ("aimbase.models.dealer", "aimbase_dealers.models.dealer")
    assert not hasattr(AimbaseDealersClient, "leads") and hasattr(aimbase.AimbaseClient, "leads")
    assert hasattr(DealersEntitySet, "patch") and not hasattr(aimbase.client.DealersEntitySet, "patch")


def test_the_documented_dealer_and_product_read_and_write_back_unchanged() -> None:
    """The only real dealer and product on record, nested in the Lead OData page's example response, fit the
    hand-written CSDL: exact types, and the ProductCategory it leaves out kept as an unknown property."""
    text = (ROOT / "specs" / "aimbase" / "examples" / "lead-82540-expand-all.json").read_text(encoding="utf-8")
    lead = json.loads(text, parse_float=Decimal)
    dealer, product = structure(lead["Dealer"], Dealer), structure(lead["Product"], Product)
    assert (dealer.id, dealer.email, dealer.dealer_type_id, dealer.latitude) == (
        48,
        "aaron.harris@infintymarine.com",
        1014,
        Decimal("29.559885"),
    )
    assert dealer.update_date == dt.datetime(2017, 12, 13, 9, 22, 1, 547000, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    assert product.brand is not None and (product.brand_id, product.brand.code) == (1, "IY")
    assert (unstructure(dealer), unstructure(product)) == (lead["Dealer"], lead["Product"])


# --- async -------------------------------------------------------------------------------------------------


@in_loop
async def test_async_filter_expand_and_patch(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    condition = (QDealer.dealer_type_code == "S") & QDealer.products.any(lambda p: p.brand.code == "LKS")
    async with async_client(server.url, recorder) as client:
        found = await client.dealers.query().filter(condition).list()
        dealer = await client.dealers.get(36, expand=[expand(QDealer.products, QProduct.brand, order_by=QProduct.id)])
        result = await client.dealers.patch(36, contact="Renée D'Angelo", is_poor_performer=True, address2=None)
        after = await client.dealers.get(36)
        changed = await client.dealers.patch(after, website_url="www.example.com/zoë", return_entity=True)
        await client.dealers.set_dealer_radius(37, brand_id=1, radius=25)
    expected = sql_ids(sandbox, "Dealers", f"t.DealerTypeCode = 'S' AND EXISTS ({LINKED} AND {BRAND_CODE} = 'LKS')")
    assert [d.id for d in found] == expected and 0 < len(expected) < 40
    assert dealer.products
    got = [(p.id, p.name, p.brand.code if p.brand else None) for p in dealer.products]
    assert got == [(r["Id"], r["Name"], r["Brand"]) for r in linked_products(sandbox, 36)]
    assert result is None
    assert (after.contact, after.is_poor_performer, after.address2) == ("Renée D'Angelo", True, None)
    assert isinstance(changed, Dealer) and changed.website_url == "www.example.com/zoë"
    row = stored(sandbox, "Dealers", 36)
    assert (row["Contact"], row["IsPoorPerformer"], row["Address2"], row["WebsiteUrl"]) == (
        "Renée D'Angelo",
        1,
        None,
        "www.example.com/zoë",
    )
    assert recorder.logins() == 1 and len(recorder.odata("PATCH")) == 2


@in_loop
async def test_async_patch_parameters_and_refusals(server: SandboxServer, sandbox: Sandbox) -> None:
    assert patch_keywords(AsyncDealersEntitySet.patch, Dealer) == editable_columns(sandbox, "Dealers")
    recorder = Recorder()
    before = stored(sandbox, "Dealers", 38)
    async with async_client(server.url, recorder) as client:
        brand = await client.brands.patch(5, code="OBR-WATER", return_entity=True)
        with pytest.raises(ClientValidationError, match="MaxLength"):
            await client.brands.patch(5, code="x" * 51)
        with pytest.raises(BadRequestError) as raised:
            await client.session.request("PATCH", "Dealers(38)", json={"Latitude": 1})
        with pytest.raises(NotFoundError):
            await client.dealers.get(999)
    assert raised.value.target == "Latitude" and stored(sandbox, "Dealers", 38) == before
    assert (
        isinstance(brand, Brand) and brand.code == "OBR-WATER" and stored(sandbox, "Brands", 5)["Code"] == "OBR-WATER"
    )
    assert len(recorder.odata("PATCH")) == 2


@in_loop
async def test_async_ref_links_change_the_store(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    linked = [r["Id"] for r in linked_products(sandbox, 38)]
    async with async_client(server.url, recorder) as client:
        refs = client.dealers.navigate(38).products_refs
        await refs.remove(linked[0])
        after_remove = [r["Id"] for r in linked_products(sandbox, 38)]
        await refs.add(linked[0])
        listed = await refs.list()
    assert linked[0] not in after_remove and len(after_remove) == len(linked) - 1
    assert [r["Id"] for r in linked_products(sandbox, 38)] == linked
    assert len(listed) == len(linked)
