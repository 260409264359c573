"""Query options over generated query types, and their URL text: `Query(QLead).expand(QLead.prospect)`.

`Query` is an immutable builder: every method returns a new `Query`. Its options render in this fixed
order, each `name=value` with the value percent-encoded, joined by `&`:

    $filter  $select  $expand  $orderby  $top  $skip  $count  $search

Nested options inside an `$expand` item (`expand(QLead.product, QProduct.brand, top=5)`) use the same order
(then `$levels`), separated by `;` inside parentheses: `Product($expand=Brand;$top=5)`. The ABNF
(`expandPath`: `OPEN expandOption *( SEMI expandOption ) CLOSE`) allows any order; a fixed one keeps URLs
stable and equal queries equal.

Encoding. An option value is made of structure we write (names, `/` between path segments, `,` between
items, and inside `$expand` the `(`, `;`, `=` and `$` of nested options) and of expression text whose
literals came from `format_literal`. Structure is written literally: the ABNF needs a literal `/` in paths
(`Prospect%2FState` is not a path) and `=` after a nested option name (`EQ = "="`); `(`, `)`, `,` and `;`
could be `%28`, `%29`, `%2C`, `%3B` but are written as servers and the OData examples write them.
Expression text (`$filter`, `$orderby`) is encoded piecewise:

- every quoted part (`'...'`, with `''` inside: string, enum, duration and binary literals) is encoded
  with `percent_encode`, so a literal's own `&`, `;`, `/`, `#`, `+`, `%`, `?`, `=`, space and non-ASCII
  characters are always percent-encoded (only `'(),:$@*!` and unreserved characters stay);
- the text between quoted parts (names, operators, numbers, dates) is encoded with `percent_encode` too,
  except that `/` stays literal as the path separator. Spaces become `%20`, a `+` in a time-zone offset
  `%2B`, never `+`.

OData names cannot contain a quote, so splitting at quotes finds exactly the literals, also in `raw()` filter
text (whose other characters, `%` included, are encoded as written). That is `encode_expression` (literals.py);
the renderer writes the same text in one pass (`nodes.render_encoded`). `$search` text is percent-encoded as
a whole; `$top`, `$skip`, `$count` and `$levels` are digits or words.

Paths given to `select` and `expand` are checked against the query type they are relative to (the root of a
`Query`, or the target of an `expand`): `Query(QLead).select(QProduct.name)` is refused. (Filter and order
expressions are not: they may hold lambda variables and `raw()` text.) `$select` paths may
run through complex properties (`Address/Street`), not through navigation properties: select the properties
of a related entity inside its expand (`expand(QLead.prospect, select=QProspect.state)`), which is the
OData 4 form. `$expand` items end at a navigation property, possibly behind complex properties
(`Address/Country`); a path through another navigation property is written nested
(`expand(QLead.prospect, QProspect.company)` -> `Prospect($expand=Company)`).
"""

from __future__ import annotations

import functools
import operator
import weakref
from collections.abc import Sequence
from typing import Any, Final, Generic, Literal, TypeAlias, TypeVar

import attrs

from .expressions import BoolExpr, CollectionExpr, Expression
from .keys import Key, entity_path
from .literals import percent_encode
from .nodes import Node, PathRef, render, render_encoded
from .schema import Nested, NestedCollection, Property, QueryType

__all__ = ["Expand", "OrderKey", "Query", "asc", "desc", "expand"]

Q = TypeVar("Q", bound=QueryType)
Path: TypeAlias = tuple[str, ...]


def _encode_path(path: Path) -> str:
    return "/".join(map(_encode_segment, path))


# Names of properties, repeated in every query: bounded, as a path may be built from any text at run time.
_encode_segment: Final = functools.lru_cache(maxsize=4096)(percent_encode)


# --- $orderby keys ---------------------------------------------------------------------------------------


@attrs.frozen
class OrderKey:
    """One `$orderby` item: an expression and `asc`, `desc` or no direction (the server's default, ascending)."""

    node: Node
    direction: Literal["asc", "desc"] | None = None

    def __str__(self) -> str:
        return render(self.node) + (f" {self.direction}" if self.direction else "")

    def encoded(self) -> str:
        """`str(self)` percent-encoded for `$orderby`."""
        return render_encoded(self.node) + (f"%20{self.direction}" if self.direction else "")


def asc(expression: Expression) -> OrderKey:
    """`Score asc`: sort ascending, written out."""
    return _order_key(expression, "asc() argument", "asc")


def desc(expression: Expression) -> OrderKey:
    """`Score desc`: sort descending."""
    return _order_key(expression, "desc() argument", "desc")


OrderItem: TypeAlias = "Expression | OrderKey"


def _order_key(item: object, where: str, direction: Literal["asc", "desc"] | None = None) -> OrderKey:
    if isinstance(item, OrderKey) and direction is None:
        return item
    if isinstance(item, CollectionExpr):
        raise TypeError(f"{where} is the collection {item}; order by its count() or by a single value instead")
    if isinstance(item, Expression):
        return OrderKey(item._node, direction)
    if isinstance(item, QueryType):
        raise TypeError(f"{where} is {item!r}, a navigation or complex property; order by one of its properties")
    raise TypeError(f"{where} must be an expression such as QLead.score, not {_describe(item)}")


# --- paths checked against query types -------------------------------------------------------------------

_Member: TypeAlias = "Property[Any] | Nested[Any] | NestedCollection[Any]"


# Per query class, weakly: a generated package can be unloaded (tests do).
_MEMBERS: weakref.WeakKeyDictionary[type[QueryType], dict[str, tuple[str, _Member]]] = weakref.WeakKeyDictionary()


def _members(cls: type[QueryType]) -> dict[str, tuple[str, _Member]]:
    """Wire name -> (attribute, descriptor), over the class and its bases."""
    found = _MEMBERS.get(cls)
    if found is None:
        found = {}
        for klass in reversed(cls.__mro__):
            for attribute, value in vars(klass).items():
                if isinstance(value, (Property, Nested, NestedCollection)):
                    found[value.wire_name] = (attribute, value)
        _MEMBERS[cls] = found
    return found


@attrs.frozen
class _Step:
    segment: str
    kind: Literal["property", "complex", "entity"]
    owner: type[QueryType]
    attribute: str
    target: type[QueryType] | None

    @property
    def written(self) -> str:
        """How the step is written in Python, such as `QLead.prospect`."""
        return f"{self.owner.__name__}.{self.attribute}"


def _walk(root: type[QueryType], path: Path, where: str) -> tuple[_Step, ...]:
    """Resolve each segment of `path` from `root`; ValueError if a segment is not a property there."""
    steps: list[_Step] = []
    cls = root
    for index, segment in enumerate(path):
        found = None if steps and steps[-1].kind == "property" else _members(cls).get(segment)
        if found is None:
            after_property = bool(steps) and steps[-1].kind == "property"
            owner = f"{path[index - 1]} has no properties" if after_property else f"{cls.__name__} has no {segment!r}"
            raise ValueError(
                f"{where}: {'/'.join(path)!r} is not a path of {root.__name__} ({owner}); paths here are written"
                f" from {root.__name__}, such as {root.__name__}.<attribute>"
            )
        attribute, member = found
        if isinstance(member, Property):
            steps.append(_Step(segment, "property", cls, attribute, None))
            continue
        target: type[QueryType] = member._resolve(cls)
        steps.append(
            _Step(segment, "entity" if target.__odata_kind__ == "entity" else "complex", cls, attribute, target)
        )
        cls = target
    return tuple(steps)


# Paths found valid, per root query class, as ("select" or "expand", path): the same few paths are checked in
# every query. Weak per class, like _MEMBERS, and holding no class; at most _MAX_VALID per class, since a
# recursive complex type allows paths without end.
_VALID: weakref.WeakKeyDictionary[type[QueryType], set[tuple[str, Path]]] = weakref.WeakKeyDictionary()
_MAX_VALID: Final = 1024


def _known_valid(root: type[QueryType], use: str, path: Path) -> bool:
    valid = _VALID.get(root)
    return valid is not None and (use, path) in valid


def _remember_valid(root: type[QueryType], use: str, path: Path) -> None:
    valid = _VALID.setdefault(root, set())
    if len(valid) < _MAX_VALID:
        valid.add((use, path))


def _select_path(root: type[QueryType], item: object, where: str) -> Path:
    if isinstance(item, QueryType):
        path = item._prefix
    elif isinstance(item, Expression) and isinstance(item._node, PathRef):
        path = item._node.segments
    else:
        raise TypeError(
            f"{where} must be a property path or navigation such as {root.__name__}.<attribute>, "
            f"not {_describe(item)}"
        )
    if not path:
        raise ValueError(f"{where} is the root {item!r} itself, not one of its properties")
    if _known_valid(root, "select", path):
        return path
    steps = _walk(root, path, where)
    for index, step in enumerate(steps[:-1]):
        if step.kind == "entity":
            raise ValueError(
                f"{where}: {'/'.join(path)!r} runs through the navigation property {step.segment!r}; select the"
                f" properties of a related entity inside its expand: expand({step.written},"
                f" select={steps[index + 1].written})"
            )
    _remember_valid(root, "select", path)
    return path


# --- $expand items ---------------------------------------------------------------------------------------


@attrs.frozen
class _Options:
    """The options shared by a `Query` and an `$expand` item, already checked."""

    filter: Node | None = None
    select: tuple[Path, ...] = ()
    expand: tuple[Expand, ...] = ()
    order_by: tuple[OrderKey, ...] = ()
    top: int | None = None
    skip: int | None = None
    count: bool | None = None
    search: str | None = None
    levels: int | Literal["max"] | None = None

    def but(self, **changes: Any) -> _Options:
        """A copy with `changes`: `attrs.evolve` without its per-call look-up of the fields (every builder call
        makes one)."""
        values = list(_option_values(self))
        for name, value in changes.items():
            values[_OPTION_INDEX[name]] = value
        return _Options(*values)

    def text(self, separator: str) -> str:
        """`name=value` (value percent-encoded) in the documented order for the options that are set, joined."""
        out: list[str] = []
        if self.filter is not None:
            out.append("$filter=" + render_encoded(self.filter))
        if self.select:
            out.append("$select=" + ",".join(map(_encode_path, self.select)))
        if self.expand:
            out.append("$expand=" + ",".join(map(str, self.expand)))
        if self.order_by:
            out.append("$orderby=" + ",".join(key.encoded() for key in self.order_by))
        if self.top is not None:
            out.append(f"$top={self.top}")
        if self.skip is not None:
            out.append(f"$skip={self.skip}")
        if self.count is not None:
            out.append("$count=true" if self.count else "$count=false")
        if self.search is not None:
            out.append("$search=" + percent_encode(self.search))
        if self.levels is not None:
            out.append(f"$levels={self.levels}")
        return separator.join(out)


def _filtered(current: Node | None, conditions: Sequence[object], where: str) -> Node:
    """`current` (if any) and each of `conditions`, as one flat `and`."""
    if not conditions:
        raise TypeError(f"{where} needs at least one condition")
    combined = BoolExpr(current) if current is not None else None
    for index, condition in enumerate(conditions, 1):
        if not isinstance(condition, BoolExpr):
            raise TypeError(
                f"{where} argument {index} must be a filter (a BoolExpr such as QLead.score > 10), "
                f"not {_describe(condition)}"
            )
        combined = condition if combined is None else combined & condition
    assert combined is not None
    return combined._node


def _selected(
    current: tuple[Path, ...], root: type[QueryType], items: Sequence[object], where: str
) -> tuple[Path, ...]:
    paths = list(current)
    for index, item in enumerate(items, 1):
        path = _select_path(root, item, f"{where} argument {index}")
        if path not in paths:
            paths.append(path)
    return tuple(paths)


def _expanded(
    current: tuple[Expand, ...], root: type[QueryType], items: Sequence[object], where: str
) -> tuple[Expand, ...]:
    expanded = list(current)
    for index, item in enumerate(items, 1):
        entry = _expand_item(root, item, f"{where} argument {index}")
        if entry not in expanded:
            expanded.append(entry)
    return tuple(expanded)


def _ordered(items: Sequence[object], where: str) -> tuple[OrderKey, ...]:
    return tuple(_order_key(item, f"{where} argument {index}") for index, item in enumerate(items, 1))


_OPTION_NAMES: Final = tuple(field.name for field in attrs.fields(_Options))
_OPTION_INDEX: Final = {name: index for index, name in enumerate(_OPTION_NAMES)}
_option_values: Final = operator.attrgetter(*_OPTION_NAMES)


@attrs.frozen
class Expand:
    """One `$expand` item: a navigation path relative to its parent, and options relative to its target.

    Made by `expand(...)`; `str(item)` is its percent-encoded text, such as `Product($expand=Brand)`.
    """

    path: Path
    target: type[QueryType]
    options: _Options = _Options()

    def __str__(self) -> str:
        nested = self.options.text(";")
        return _encode_path(self.path) + (f"({nested})" if nested else "")


def _navigation(item: object, where: str, *, or_item: bool = True) -> tuple[Path, type[QueryType]]:
    """The path and target query type of a navigation (`QLead.prospect`, `QDealer.products`)."""
    if isinstance(item, QueryType):
        return item._prefix, type(item)
    if isinstance(item, CollectionExpr) and isinstance(item._node, PathRef):
        element = item._element(PathRef(("$it",)))
        if isinstance(element, QueryType):
            return item._node.segments, type(element)
    alternative = ", or an expand(...) item" if or_item else ""
    raise TypeError(f"{where} must be a navigation property such as QLead.prospect{alternative}, not {_describe(item)}")


def _expand_item(root: type[QueryType], item: object, where: str) -> Expand:
    entry = item if isinstance(item, Expand) else Expand(*_navigation(item, where))
    path = entry.path
    if not path:
        raise ValueError(f"{where} is a root query type, not a navigation property of {root.__name__}")
    if _known_valid(root, "expand", path):
        return entry
    steps = _walk(root, path, where)
    for index, step in enumerate(steps[:-1]):
        if step.kind == "entity":
            raise ValueError(
                f"{where}: {'/'.join(path)!r} runs through the navigation property {step.segment!r}; nest the"
                f" expand instead: expand({step.written}, {steps[index + 1].written})"
            )
    last = steps[-1]
    if last.kind != "entity":
        what = "a primitive property" if last.kind == "property" else "a complex property (select it instead)"
        raise ValueError(f"{where}: {'/'.join(path)!r} is {what}, not a navigation property")
    _remember_valid(root, "expand", path)
    return entry


def _none(value: object) -> bool:
    """An empty list or tuple: no `select` or `order_by` given to `expand()`."""
    return isinstance(value, (list, tuple)) and not value


def _as_items(value: object) -> Sequence[object]:
    return value if isinstance(value, (list, tuple)) else (value,)


Selectable: TypeAlias = "QueryType | Expression"
Expandable: TypeAlias = "QueryType | CollectionExpr[Any] | Expand"


def expand(
    navigation: QueryType | CollectionExpr[Any],
    *nested: Expandable,
    select: Selectable | Sequence[Selectable] = (),
    filter: BoolExpr | None = None,
    order_by: OrderItem | Sequence[OrderItem] = (),
    top: int | None = None,
    skip: int | None = None,
    count: bool | None = None,
    search: str | None = None,
    levels: int | Literal["max"] | None = None,
) -> Expand:
    """An `$expand` item with nested options: `expand(QLead.product, QProduct.brand, select=QProduct.name)`.

    `navigation` is a navigation property path (`QLead.prospect`, or a collection such as `QDealer.products`).
    Everything else is relative to its target and written with the target's query type: nested expands
    (`*nested`, navigations or `expand(...)` items), `select` (one path or a sequence), `filter`, `order_by`
    (one key or a sequence, as for `Query.order_by`), `top`, `skip`, `count`, `search` and `levels` (a
    positive int or "max", for recursive navigations).
    """
    path, target = _navigation(navigation, "expand() argument 'navigation'", or_item=False)
    options = _Options(  # checked in this order, so the first mistake is the one reported
        expand=_expanded((), target, nested, "expand() nested") if nested else (),
        select=() if _none(select) else _selected((), target, _as_items(select), "expand(select=...)"),
        filter=None if filter is None else _filtered(None, (filter,), "expand(filter=...)"),
        order_by=() if _none(order_by) else _ordered(_as_items(order_by), "expand(order_by=...)"),
        top=None if top is None else _non_negative(top, "expand(top=...)"),
        skip=None if skip is None else _non_negative(skip, "expand(skip=...)"),
        count=None if count is None else _boolean(count, "expand(count=...)"),
        search=None if search is None else _search_text(search, "expand(search=...)"),
        levels=None if levels is None else _levels(levels),
    )
    return Expand(path, target, options)


# --- the builder -----------------------------------------------------------------------------------------


def _check_root(_instance: Any, _attribute: Any, value: Any) -> None:
    if not (isinstance(value, type) and issubclass(value, QueryType) and value is not QueryType):
        raise TypeError(f"Query() takes a generated query class such as QLead, not {_describe(value)}")


@attrs.frozen(repr=False)
class Query(Generic[Q]):
    """An immutable OData query over the entities of a query type: `Query(QLead).filter(QLead.score > 10)`.

    Every method returns a new Query and leaves this one unchanged. `str(query)` (`to_query_string()`) is
    the percent-encoded query string without `?`; `url(entity_set, key=...)` the relative URL.
    """

    root: type[Q] = attrs.field(validator=_check_root)
    _options: _Options = attrs.field(default=_Options(), alias="options")

    def filter(self, *conditions: BoolExpr) -> Query[Q]:
        """Keep entities matching every condition; repeated calls AND as well (`a and b and c`, flat)."""
        return self._with(self._options.but(filter=_filtered(self._options.filter, conditions, "filter()")))

    def select(self, *paths: Selectable) -> Query[Q]:
        """`$select`: properties (`QLead.score`), navigations (`QLead.prospect`), complex paths (`Address/Street`)."""
        selected = _selected(self._options.select, self.root, _at_least_one(paths, "select()"), "select()")
        return self._with(self._options.but(select=selected))

    def expand(self, *items: Expandable) -> Query[Q]:
        """`$expand`: navigations (`QLead.prospect`) or `expand(...)` items with nested options."""
        expanded = _expanded(self._options.expand, self.root, _at_least_one(items, "expand()"), "expand()")
        return self._with(self._options.but(expand=expanded))

    def order_by(self, *keys: OrderItem) -> Query[Q]:
        """`$orderby`: expressions (ascending, no direction written), or `asc(...)` / `desc(...)`; appended."""
        keys_added = _ordered(_at_least_one(keys, "order_by()"), "order_by()")
        return self._with(self._options.but(order_by=self._options.order_by + keys_added))

    def top(self, n: int) -> Query[Q]:
        """`$top`: at most `n` entities (`n` >= 0)."""
        return self._with(self._options.but(top=_non_negative(n, "top() argument 'n'")))

    def skip(self, n: int) -> Query[Q]:
        """`$skip`: leave out the first `n` entities (`n` >= 0)."""
        return self._with(self._options.but(skip=_non_negative(n, "skip() argument 'n'")))

    def count(self, value: bool = True) -> Query[Q]:
        """`$count=true`: ask for the total number of matching entities along with the page."""
        return self._with(self._options.but(count=_boolean(value, "count() argument 'value'")))

    def search(self, text: str) -> Query[Q]:
        """`$search`: free-text search, in the service's search syntax (`blue OR green`)."""
        return self._with(self._options.but(search=_search_text(text, "search() argument 'text'")))

    def for_count(self) -> Query[Q]:
        """Only what `/$count` takes ($filter and $search): the query for counting what this one matches."""
        return self._with(_Options(filter=self._options.filter, search=self._options.search))

    def to_query_string(self) -> str:
        """`$filter=...&$select=...`: the percent-encoded query string, without `?`; "" for no options."""
        return self._options.text("&")

    def url(self, entity_set: str, /, key: Key | None = None) -> str:
        """The relative URL: `Leads(302383)?$expand=Prospect` (no `?` when there are no options)."""
        path = entity_path(entity_set, key)
        query = self.to_query_string()
        return f"{path}?{query}" if query else path

    def __str__(self) -> str:
        return self.to_query_string()

    def __repr__(self) -> str:
        return f"Query({self.root.__name__}, {self.to_query_string()!r})"

    def _with(self, options: _Options) -> Query[Q]:
        return type(self)(self.root, options)


# --- argument checks -------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


def _at_least_one(items: tuple[object, ...], where: str) -> tuple[object, ...]:
    if not items:
        raise TypeError(f"{where} needs at least one argument")
    return items


def _non_negative(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where} must be an int, not {_describe(value)}")
    if value < 0:
        raise ValueError(f"{where} must be 0 or more, not {value}")
    return int(value)


def _boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{where} must be True or False, not {_describe(value)}")
    return value


def _search_text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{where} must be a str, not {_describe(value)}")
    if not value.strip():
        raise ValueError(f"{where} must not be empty")
    percent_encode(value)  # a lone surrogate fails here, where the search is written, not when it is sent
    return value


def _levels(value: object) -> int | Literal["max"]:
    if isinstance(value, str) and value == "max":
        return "max"
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expand(levels=...) must be a positive int or 'max', not {_describe(value)}")
    if value < 1:
        raise ValueError(f"expand(levels=...) must be 1 or more (or 'max'), not {value}")
    return int(value)
