"""The JSON SQLite writes for a page (`Store.page_json`, `jsonrows`) is what the Python path writes
(`Store.page` then `entities.entity_json`), member for member and number for number, on every CSDL the
sandbox serves, for unusual values too; and the shapes it does not build fall back to that path."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from codegen.runtime.http.jsonio import dumps
from codegen.sandbox import create_app
from codegen.sandbox.app import Sandbox
from codegen.sandbox.entities import entity_json
from codegen.sandbox.errors import ODataFailure
from codegen.sandbox.options import parse_options
from codegen.sandbox.schema import Table, quote
from codegen.sandbox.store import EVERYTHING
from codegen.spec import load_spec, spec_from_arguments

ROOT = Path(__file__).resolve().parent.parent
CSDL = ROOT / "tests" / "fixtures" / "csdl"
SERVICES = ["trippin-sampleservice.xml", "northwind-v4.xml", "odata-demo-v4-reference.xml"]


def _sandbox(name: str) -> Sandbox:
    if name == "aimbase":
        spec = load_spec(ROOT / "specs" / "aimbase" / "codegen.toml")
    else:
        if not (CSDL / name).exists():
            pytest.skip(f"{CSDL / name} is not here")
        spec = spec_from_arguments(CSDL / name, "service", Path("unused"), service_path="/")
    sandbox: Sandbox = create_app(spec, rows=30, seed=5).state.sandbox
    return sandbox


@pytest.fixture(scope="module", params=["aimbase", *SERVICES])
def sandbox(request: pytest.FixtureRequest) -> Any:
    found = _sandbox(request.param)
    yield found
    found.store.close()


def _exact(text: str | bytes) -> Any:
    """Parsed with every number kept as its text: `1.50` and `1.5` differ."""
    return json.loads(text, parse_float=lambda s: ("float", s), parse_int=lambda s: ("int", s))


def _both(sandbox: Sandbox, table: Table, query: list[tuple[str, str]], limit: int = 50) -> tuple[Any, Any] | None:
    """(SQLite's page, the Python path's page) for `query`, or None when SQLite's path declines the shape."""
    options = parse_options(query)
    written = sandbox.store.page_json(table, options, offset=0, limit=limit)
    if written is None:
        return None
    texts, more = written
    records, more_too = sandbox.store.page(table, options, offset=0, limit=limit)
    assert more == more_too
    python = dumps([entity_json(sandbox.model, record, options) for record in records])
    return _exact("[" + ",".join(texts) + "]"), _exact(python)


def _shapes(sandbox: Sandbox, table: Table) -> list[list[tuple[str, str]]]:
    single = [n for n, nav in table.navigations.items() if not nav.collection]
    columns = list(table.columns)
    primitive = [c.name for c in table.columns.values() if c.kind == "primitive" and "Geo" not in c.edm]
    shapes: list[list[tuple[str, str]]] = [[], [("$select", ",".join(columns[:2]))]]
    for name in single:
        target = sandbox.model.table(table.navigations[name].target)
        nested = [n for n, nav in target.navigations.items() if not nav.collection]
        inner = f"($expand={','.join(nested)})" if nested else ""
        shapes.append([("$expand", f"{name}{inner}")])
        shapes.append([("$expand", f"{name}($select={next(iter(target.columns), name)})"), ("$orderby", primitive[-1])])
    if single:
        shapes.append([("$expand", ",".join(single))])
    return shapes


def test_sqlite_writes_what_the_python_path_writes(sandbox: Sandbox) -> None:
    built = 0
    for table in sandbox.model.tables.values():
        for query in _shapes(sandbox, table):
            pair = _both(sandbox, table, query)
            if pair is not None:
                assert pair[0] == pair[1], (table.name, query)
                built += 1
    assert built >= len(sandbox.model.tables)  # most sets and shapes are plain enough to be written by SQLite


def test_aimbase_filters_orders_and_nested_options() -> None:
    sandbox = _sandbox("aimbase")
    leads = sandbox.model.tables["Leads"]
    queries = [
        [("$filter", "Prospect/State ne null and Id gt 3"), ("$orderby", "Prospect/LastName desc")],
        [("$expand", "Prospect($filter=Id gt 10;$expand=Company($select=Name))"), ("$search", "a OR e")],
        [("$expand", "Product($expand=Brand,ProductCategory),Dealer($select=Id,Name)"), ("$select", "Id,Dealer")],
        [("$filter", "Id lt 0")],
        [("$select", "Prospect")],  # a navigation selected alone: no member at all
    ]
    for query in queries:
        pair = _both(sandbox, leads, query)
        assert pair is not None, query
        assert pair[0] == pair[1], query
    sandbox.store.close()


def test_unusual_values_read_back_the_same() -> None:
    sandbox = _sandbox("aimbase")
    store = sandbox.store
    lead = next(iter(store.execute('SELECT "Id" FROM "Leads" ORDER BY "Id" LIMIT 1')))["Id"]
    table = sandbox.model.tables["Leads"]
    strings = [c.name for c in table.string_columns()][:3]
    decimals = [c.name for c in table.columns.values() if c.edm == "Edm.Decimal"][:2]
    values = ['quote " back\\slash \n\t\x01 \u00e9\u4e2d\U0001f600 </script>', "", "'; DROP TABLE x; --"]
    changes: dict[str, Any] = dict(zip(strings, values))
    changes.update(zip(decimals, [Decimal("-0.000100"), Decimal("1E+200")]))
    assert store.update(table, (lead,), {n: v for n, v in changes.items()})
    pair = _both(sandbox, table, [("$filter", f"Id eq {lead}")])
    assert pair is not None
    assert pair[0] == pair[1]
    assert pair[0][0][decimals[0]] == ("float", "-0.000100")
    store.close()


def test_doubles_write_as_python_does() -> None:
    sandbox = _sandbox("northwind-v4.xml")
    for table in sandbox.model.tables.values():
        doubles = [c.name for c in table.columns.values() if c.edm in ("Edm.Double", "Edm.Single")]
        if doubles and table.key:
            break
    else:
        pytest.skip("no double property in this CSDL")
    rows = sandbox.store.execute(f"SELECT {quote(table.key[0])} AS k FROM {quote(table.name)} LIMIT 4")
    # NaN cannot be stored (SQLite keeps it as NULL).
    for row, value in zip(rows, [0.1 + 0.2, math.inf, -math.inf, -1e-300]):
        sandbox.store.connection.execute(
            f"UPDATE {quote(table.name)} SET {quote(doubles[0])} = ? WHERE {quote(table.key[0])} = ?", (value, row["k"])
        )
    pair = _both(sandbox, table, [])
    assert pair is not None
    assert pair[0] == pair[1]
    sandbox.store.close()


def test_shapes_it_does_not_build_fall_back() -> None:
    sandbox = _sandbox("aimbase")
    store, model = sandbox.store, sandbox.model
    dealers, leads = model.tables["Dealers"], model.tables["Leads"]
    assert store.page_json(dealers, parse_options([("$expand", "Products")]), offset=0, limit=5) is None
    assert store.page_json(leads, parse_options([("$expand", "*")]), offset=0, limit=5) is None
    assert store.page_json(leads, parse_options([("$select", "Customs/PurchaseTimeframe")]), offset=0, limit=5) is None
    # Past the expansion budget the Python path counts what it really expands (and refuses beyond it).
    assert store.page_json(leads, parse_options([("$expand", "Prospect")]), offset=0, limit=200_000) is None
    with pytest.raises(ODataFailure):
        store.page_json(leads, parse_options([("$filter", "Nope eq 1")]), offset=0, limit=5)
    store.close()


def test_the_sql_is_built_once_per_shape_and_the_cache_is_bounded() -> None:
    sandbox = _sandbox("aimbase")
    store, leads = sandbox.store, sandbox.model.tables["Leads"]
    first = store._page_sql(leads, parse_options([("$expand", "Prospect"), ("$skiptoken", "5")]), EVERYTHING)
    again = store._page_sql(leads, parse_options([("$expand", "Prospect"), ("$top", "3")]), EVERYTHING)
    assert first is again  # paging options are parameters, not part of the shape
    for n in range(600):
        store._page_sql(leads, parse_options([("$filter", f"Id eq {n}")]), EVERYTHING)
    assert len(store._shapes) <= 256
    store.close()
