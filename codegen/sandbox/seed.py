"""Deterministic seed data generated from the schema: `random.Random(seed)`, nothing else.

Every entity set gets rows whose values follow the property types (Edm type, MaxLength, Precision, Scale,
allowed values, nullability); foreign keys of referential constraints point at existing rows, and
navigations without a constraint get link rows. A `Flavour` (see `pools`) adds realism where names match:
row counts, key ranges and value rules per property (`FollowUpStatusCode`, `Email`, ...), consulted before
the generic rules. A singleton gets one row; a contained table about two rows per host row, each given a
random host. The same model, row count, seed and flavour give the same data, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..runtime import edm
from .codec import ValueProblem, check_value
from ..csdl.model import Property
from .schema import INTEGER_RANGES, TYPE_COLUMN, Column, Model, Navigation, Table

__all__ = ["GENERIC", "Flavour", "RowContext", "SeedData", "central_time", "generate"]


class _Generic:
    def __repr__(self) -> str:
        return "GENERIC"


GENERIC: Any = _Generic()  # returned by a flavour rule to fall back to the generic value

Rule = Callable[["RowContext"], Any]

_WORDS = (
    "alpha bravo harbor lake river summit cedar maple coast prairie canyon delta ridge meadow"
    " island bay forest valley"
).split()
_EPOCH = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)
_SPAN_SECONDS = int((dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc) - _EPOCH).total_seconds())


@attrs.frozen
class Flavour:
    """Service-specific realism; everything keyed by entity type name (unqualified) or property name.

    - `counts`: rows for a type given the requested `rows`; `key_start`: first integer key of a type.
    - `fixed_rows`: the first rows of a type, as property values (the rest is generated).
    - `rules`: value rules by `"Type.Property"` or `"Property"`; a rule may return `GENERIC`.
    - `foreign_key_nulls`: chance that a nullable foreign key (`"Type.Property"`) is null (default 0.05).
    - `links`: (fewest, most) targets per source row of a link-table navigation (`"Type.Navigation"`).
    """

    counts: Mapping[str, Callable[[int], int]] = attrs.field(factory=dict)
    key_start: Mapping[str, int] = attrs.field(factory=dict)
    fixed_rows: Mapping[str, tuple[Mapping[str, Any], ...]] = attrs.field(factory=dict)
    rules: Mapping[str, Rule] = attrs.field(factory=dict)
    foreign_key_nulls: Mapping[str, float] = attrs.field(factory=dict)
    links: Mapping[str, tuple[int, int]] = attrs.field(factory=dict)


@attrs.frozen
class SeedData:
    rows: dict[str, list[dict[str, Any]]]  # entity set -> rows of wire values
    links: dict[str, list[tuple[Any, ...]]]  # link table -> (source key..., target key...)


def central_time(moment: dt.datetime) -> dt.datetime:
    """`moment` in US Central Time (-06:00, or -05:00 from the second Sunday of March to the first Sunday of
    November, changing at 02:00 local time), which is how Aimbase stores its dates."""
    utc = moment.astimezone(dt.timezone.utc)
    year = utc.year
    march = dt.datetime(year, 3, 8, tzinfo=dt.timezone.utc)
    november = dt.datetime(year, 11, 1, tzinfo=dt.timezone.utc)
    start = march + dt.timedelta(days=(6 - march.weekday()) % 7, hours=8)  # 02:00 CST is 08:00 UTC
    end = november + dt.timedelta(days=(6 - november.weekday()) % 7, hours=7)  # 02:00 CDT is 07:00 UTC
    hours = -5 if start <= utc < end else -6
    return utc.astimezone(dt.timezone(dt.timedelta(hours=hours)))


class RowContext:
    """One row being generated: rules ask it for other values of the row (computed on demand), related
    rows, and the random source."""

    def __init__(self, seeder: _Seeder, table: Table, index: int, rng: random.Random) -> None:
        self.seeder = seeder
        self.table = table
        self.index = index
        self.rng = rng
        self.values: dict[str, Any] = {}
        self.memo: dict[str, Any] = {}  # for rules sharing a choice (a person, a place)
        self._busy: set[str] = set()
        self._targets: dict[str, tuple[Any, ...] | None] = {}

    @property
    def type_name(self) -> str:
        return self.table.entity_type.name

    def value(self, name: str) -> Any:
        if name not in self.values:
            column = self.table.columns.get(name)
            if column is None:
                return None
            if name in self._busy:
                raise RuntimeError(f"seed rules for {self.type_name}.{name} depend on each other")
            self._busy.add(name)
            try:
                self.values[name] = self.seeder.column_value(self, column)
            finally:
                self._busy.discard(name)
        return self.values[name]

    def related(self, navigation: str) -> dict[str, Any] | None:
        """The generated row a foreign-key navigation of this row points at (None if null or not yet made)."""
        nav = self.table.navigations.get(navigation)
        if nav is None or nav.link_table is not None:
            return None
        key = tuple(self.value(c) for c in nav.source_columns)
        if any(k is None for k in key):
            return None
        return self.seeder.find(nav.target, nav.target_columns, key)

    def pick(self, pool: tuple[Any, ...] | list[Any]) -> Any:
        return pool[self.rng.randrange(len(pool))]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def moment(self, start: dt.datetime | None = None, days: float | None = None) -> dt.datetime:
        """A random instant (US Central Time) from `start` (default 2015-01-01) within `days` (default: to mid-2025)."""
        base = start or _EPOCH
        span = int(days * 86_400) if days is not None else _SPAN_SECONDS
        offset = self.rng.randrange(max(1, span)) + self.rng.randrange(1000) / 1000
        return central_time(base + dt.timedelta(seconds=offset))

    def target_key(self, nav: Navigation) -> tuple[Any, ...] | None:
        if nav.name not in self._targets:
            rate = self.seeder.flavour.foreign_key_nulls.get(f"{self.type_name}.{nav.source_columns[0]}", 0.05)
            nullable = all(self.table.columns[c].nullable for c in nav.source_columns if c in self.table.columns)
            if nullable and self.chance(rate):
                self._targets[nav.name] = None
            else:
                self._targets[nav.name] = self.seeder.random_target(self.rng, nav)
        return self._targets[nav.name]


class _Seeder:
    def __init__(self, model: Model, rows: int, seed: int, flavour: Flavour) -> None:
        self.model = model
        self.rows = rows
        self.seed = seed
        self.flavour = flavour
        self.data: dict[str, list[dict[str, Any]]] = {}
        self.keys: dict[str, list[tuple[Any, ...]]] = {}
        self._indexes: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], dict[str, Any]]] = {}
        self.foreign_keys: dict[str, dict[str, Navigation]] = {
            table.name: {
                column: nav
                for nav in table.navigations.values()
                if nav.link_table is None and not set(nav.source_columns) <= set(table.key)
                for column in nav.source_columns
            }
            for table in model.all_tables()
        }

    def rng(self, *labels: object) -> random.Random:
        return random.Random(":".join(str(label) for label in (self.seed, *labels)))

    # --- planning -----------------------------------------------------------------------------------------

    def count(self, table: Table) -> int:
        if table.kind == "singleton":
            return 1
        if table.host is not None:
            return len(self.keys[table.host]) * (2 if _contained_collection(self.model, table) else 1)
        rule = self.flavour.counts.get(table.entity_type.name)
        if rule is not None:
            return max(0, rule(self.rows))
        referenced = any(
            nav.target == table.name for other in self.model.all_tables() for nav in other.navigations.values()
        )
        return max(5, self.rows // 10) if referenced else self.rows

    def plan_keys(self, table: Table) -> list[tuple[Any, ...]]:
        rng = self.rng(table.name, "keys")
        start = self.flavour.key_start.get(table.entity_type.name, 1)
        return [
            tuple(_key_value(table, table.columns[name], start + index, rng) for name in table.key)
            for index in range(self.count(table))
        ]

    def order(self) -> list[Table]:
        """Tables with the ones their foreign keys point at first (cycles: declaration order)."""
        pending = self.model.all_tables()
        done: list[Table] = []
        while pending:
            ready = [
                t
                for t in pending
                if all(
                    nav.target == t.name or nav.target in {d.name for d in done}
                    for nav in self.foreign_keys[t.name].values()
                )
            ]
            chosen = ready[0] if ready else pending[0]
            done.append(chosen)
            pending.remove(chosen)
        return done

    # --- generation ---------------------------------------------------------------------------------------

    def run(self) -> SeedData:
        for table in self.model.all_tables():  # hosts first: a contained table's count follows its host's
            self.keys[table.name] = self.plan_keys(table)
        for table in self.order():
            rng = self.rng(table.name, "rows")
            fixed = self.flavour.fixed_rows.get(table.entity_type.name, ())
            rows = []
            for index, key in enumerate(self.keys[table.name]):
                context = RowContext(self, table, index, rng)
                context.values.update(zip(table.key, key))
                if index < len(fixed):
                    context.values.update(fixed[index])
                rows.append({name: context.value(name) for name in table.columns})
            self.data[table.name] = rows
            self.place(table, rng)
            self.type_rows(table)
        links: dict[str, list[tuple[Any, ...]]] = {}
        for table in self.model.all_tables():
            for nav in table.navigations.values():
                if nav.link_table is not None:
                    links[nav.link_table] = self.link_rows(table, nav)
        return SeedData(self.data, links)

    def type_rows(self, table: Table) -> None:
        """Give each row of a table with derived types its type, and the values of the properties that type
        adds (from random sources of their own, so the other values stay as they were)."""
        if not table.subtypes:
            return
        types = [t for t in (table.type_name, *table.subtypes) if not self.model.structured[t].abstract]
        rng = self.rng(table.name, "types")
        for index, row in enumerate(self.data[table.name]):
            chosen = types[rng.randrange(len(types))] if types else table.type_name
            row[TYPE_COLUMN] = chosen
            names = {p.name for p in self.model.properties(chosen)}
            context = RowContext(self, table, index, rng)
            for name, column in table.extra_columns.items():
                row[name] = self.column_value(context, column) if name in names else None

    def place(self, table: Table, rng: random.Random) -> None:
        """Give each row of a contained table a host row (its hidden parent columns)."""
        if table.host is None:
            return
        hosts = self.keys[table.host]
        single = not _contained_collection(self.model, table)
        for index, row in enumerate(self.data[table.name]):
            host = hosts[index] if single else hosts[rng.randrange(len(hosts))]  # at most one each when single
            row.update(zip(table.parent_columns, host))

    def link_rows(self, table: Table, nav: Navigation) -> list[tuple[Any, ...]]:
        rng = self.rng(table.name, nav.name, "links")
        targets = self.keys[nav.target]
        fewest, most = self.flavour.links.get(
            f"{table.entity_type.name}.{nav.name}", (0, 5) if nav.collection else (1, 1)
        )
        rows = []
        for key in self.keys[table.name]:
            if not targets:
                break
            count = min(len(targets), rng.randint(fewest, most))
            if not nav.collection and nav.nullable and rng.random() < 0.1:
                count = 0
            for target in sorted(rng.sample(targets, count)):
                rows.append((*key, *target))
        return rows

    def random_target(self, rng: random.Random, nav: Navigation) -> tuple[Any, ...] | None:
        target = self.model.table(nav.target)
        if tuple(nav.target_columns) == tuple(target.key):
            keys = self.keys[nav.target]
            return keys[rng.randrange(len(keys))] if keys else None
        rows = self.data.get(nav.target)
        if not rows:
            return None
        row = rows[rng.randrange(len(rows))]
        return tuple(row[c] for c in nav.target_columns)

    def find(self, table: str, columns: tuple[str, ...], key: tuple[Any, ...]) -> dict[str, Any] | None:
        rows = self.data.get(table)
        if rows is None:
            return None
        index = self._indexes.get((table, columns))
        if index is None:
            index = self._indexes[(table, columns)] = {tuple(row[c] for c in columns): row for row in rows}
        return index.get(key)

    def column_value(self, context: RowContext, column: Column) -> Any:
        nav = self.foreign_keys[context.table.name].get(column.name)
        if nav is not None:
            target = context.target_key(nav)
            return None if target is None else target[nav.source_columns.index(column.name)]
        rule = self.flavour.rules.get(f"{context.type_name}.{column.name}") or self.flavour.rules.get(column.name)
        if rule is not None:
            value = rule(context)
            if isinstance(value, str) and column.prop.max_length is not None:
                value = value[: column.prop.max_length]
            if value is not GENERIC:
                try:
                    # a rule written for another service's property of the same name may not fit this one
                    return check_value(self.model, column.prop, value)
                except ValueProblem:
                    pass
        if column.nullable and column.kind != "collection" and context.chance(0.15):
            return None  # a collection is empty rather than null
        value = self.generic(context, column.prop, column.kind, column.edm)
        if isinstance(value, str) and column.prop.max_length is not None:
            value = value[: column.prop.max_length]
        return value

    # --- generic values by type ---------------------------------------------------------------------------

    def generic(self, context: RowContext, prop: Property, kind: str, type_name: str, depth: int = 0) -> Any:
        rng = context.rng
        if prop.doc.allowed_values:
            return context.pick([a.value for a in prop.doc.allowed_values])
        if kind == "enum":
            return context.pick([m.name for m in self.model.enums[type_name].members])
        if kind == "complex":
            return self.complex_value(context, type_name, depth + 1)
        if kind == "collection":
            element = attrs.evolve(prop, type=attrs.evolve(prop.type, collection=False))
            element_kind, element_type = self.model.classify(element.type)
            count = rng.randint(0, 3) if depth < 3 else 0
            return [self.generic(context, element, element_kind, element_type, depth + 1) for _ in range(count)]
        return self.primitive(context, prop, type_name)

    def complex_value(self, context: RowContext, type_name: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if depth > 3:
            return result  # a type that holds itself: stop here
        for prop in self.model.properties(type_name):
            kind, name = self.model.classify(prop.type)
            if prop.nullable and (context.chance(0.15) or (kind == "complex" and depth >= 3)):
                result[prop.name] = None
            else:
                result[prop.name] = self.generic(context, prop, kind, name, depth)
        if self.model.is_open(type_name) and not result and context.chance(0.5):
            result["Note"] = " ".join(context.pick(_WORDS) for _ in range(2))
        return result

    def primitive(self, context: RowContext, prop: Property, type_name: str) -> Any:
        rng = context.rng
        if type_name == "Edm.String":
            limit = prop.max_length or 40
            text = " ".join(context.pick(_WORDS) for _ in range(rng.randint(1, 3))).capitalize()
            return f"{text} {context.index + 1}"[:limit]
        if type_name == "Edm.Boolean":
            return rng.random() < 0.5
        if type_name in INTEGER_RANGES:
            low, high = INTEGER_RANGES[type_name]
            return rng.randint(max(low, 0), min(high, 1000))
        if type_name == "Edm.Decimal":
            scale = int(prop.scale) if prop.scale and prop.scale.isdigit() else 2
            digits = min(6, prop.precision) if prop.precision else 6
            return Decimal(rng.randint(0, 10**digits - 1)).scaleb(-min(scale, digits))
        if type_name in ("Edm.Double", "Edm.Single"):
            return round(rng.uniform(0, 1000), 3)
        if type_name == "Edm.Guid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if type_name == "Edm.DateTimeOffset":
            return datetime_text(context.moment(), prop.precision)
        if type_name == "Edm.Date":
            return context.moment().date().isoformat()
        if type_name == "Edm.TimeOfDay":
            return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        if type_name == "Edm.Duration":
            return f"PT{rng.randint(1, 600)}M"
        if type_name == "Edm.Binary":
            return edm.write_binary(bytes(rng.randrange(256) for _ in range(8)))
        if type_name.startswith(("Edm.Geography", "Edm.Geometry")):
            return {"type": "Point", "coordinates": [round(rng.uniform(-120, -70), 6), round(rng.uniform(25, 48), 6)]}
        return None  # Edm.Untyped and anything else: null


def _contained_collection(model: Model, table: Table) -> bool:
    assert table.host is not None
    return model.table(table.host).navigations[table.name.rsplit("/", 1)[1]].collection


def _key_value(table: Table, column: Column, number: int, rng: random.Random) -> Any:
    """The `number`th value of a key property: distinct for distinct numbers wherever the type allows."""
    kind = column.edm
    if kind in INTEGER_RANGES:
        low, high = INTEGER_RANGES[kind]
        return low + (number - low) % (high - low + 1) if not low <= number <= high else number
    if kind == "Edm.Guid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if kind == "Edm.Decimal":
        return Decimal(number)
    if kind in ("Edm.Double", "Edm.Single"):
        return float(number)
    if kind == "Edm.Boolean":
        return number % 2 == 1
    if kind == "Edm.DateTimeOffset":
        return edm.write_datetime(central_time(_EPOCH + dt.timedelta(hours=number)))
    if kind == "Edm.Date":
        return (_EPOCH.date() + dt.timedelta(days=number)).isoformat()
    limit = column.prop.max_length
    if limit is not None and limit < 9:
        digits = ""
        while number or not digits:
            number, rest = divmod(number, 26)
            digits = chr(ord("A") + rest) + digits
        return digits.rjust(limit, "A")[-limit:]
    return f"{table.entity_type.name[:3].upper()}{number:06d}"


def datetime_text(moment: dt.datetime, precision: int | None) -> str:
    """`moment` as OData text with `precision` fractional digits at most (CSDL's default is 0)."""
    digits = precision or 0
    micro = moment.microsecond - moment.microsecond % (10 ** (6 - min(digits, 6)))
    return edm.write_datetime(moment.replace(microsecond=micro))


def generate(model: Model, *, rows: int, seed: int, flavour: Flavour | None = None) -> SeedData:
    """Seed rows for every entity set of `model` (about `rows` for the main sets; see `Flavour.counts`)."""
    return _Seeder(model, rows, seed, flavour or Flavour()).run()
