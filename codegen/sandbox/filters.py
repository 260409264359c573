"""OData expressions (parsed by odata-query) -> SQLite SQL, checked against the schema.

`Translator` extends odata-query's `AstToSqliteSqlVisitor`. It keeps the library's handling of literals,
lists and arithmetic tokens and replaces what a schema-less visitor cannot get right:

- names are resolved against the entity type: an unknown property is a 400, a single-valued navigation
  (`Prospect/State`) becomes a correlated subquery, a complex property (`Customs/PurchaseTimeframe`) a
  `json_extract`, and `Products/any(p: ...)` / `all(...)` an `EXISTS` over the join (odata-query parses
  lambdas but its SQL visitors do not translate them);
- comparisons follow OData's null rules (`eq`/`ne` are `IS`/`IS NOT`; `lt`..`ge` and `in` are false,
  not null, when an operand is null), compare `Edm.DateTimeOffset` values as instants and `Edm.Decimal`
  values as numbers, and refuse operands of incompatible types;
- functions map to SQL or to the `odata_*` functions in `sqlfuncs` (the library's SQLite visitor uses
  `LIKE`, which ignores case in SQLite, and date parts in UTC rather than the value's own offset).

Not supported (a 400 naming the construct): type casts and qualified names, enum literals
(odata-query cannot parse them), `duration` and `geography` literals and date arithmetic, `$it`/`$root`,
and the functions `totalseconds`, `geo.*`, `hassubset`, `hassubsequence`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import attrs
from odata_query import ast
from odata_query.sql.sqlite import AstToSqliteSqlVisitor

from .errors import ODataFailure
from .schema import NUMERIC_TYPES, Model, Navigation, Table, link_columns, quote
from .sqlfuncs import INSTANT_FORMAT, instant

__all__ = ["Translator", "join_clause", "sql_string"]

_Wrap = Callable[[str], str]


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@attrs.frozen
class _EntityScope:
    table: Table
    alias: str


@attrs.frozen
class _JsonScope:
    """A complex value: `source` holds JSON, `path` is the JSON path to the value within it."""

    source: str
    path: str
    type_name: str | None  # None for a dynamic (undeclared) value


@attrs.frozen
class _ElementScope:
    """An element of a primitive collection, bound to a lambda variable."""

    sql: str
    edm: str


_Scope = _EntityScope | _JsonScope | _ElementScope


@attrs.frozen
class _Path:
    kind: str  # "value", "entity", "complex", "collection"
    sql: str = ""  # the innermost SQL (before the navigation subqueries in `wraps`)
    edm: str | None = None
    wraps: tuple[_Wrap, ...] = ()
    # for kind "collection": builds `EXISTS (...)` for a condition on the element bound to a scope
    exists: Callable[[Callable[[_Scope], str | None], bool], str] | None = None

    def compose(self, inner: str) -> str:
        for wrap in reversed(self.wraps):
            inner = wrap(inner)
        return inner


# Literal node -> the Edm type family it compares with.
_LITERAL_TYPES: dict[type, str] = {
    ast.Integer: "number",
    ast.Float: "number",
    ast.String: "string",
    ast.Boolean: "Edm.Boolean",
    ast.GUID: "Edm.Guid",
    ast.DateTime: "Edm.DateTimeOffset",
    ast.Date: "Edm.Date",
    ast.Time: "Edm.TimeOfDay",
    ast.Duration: "Edm.Duration",
}
_CALL_TYPES = {
    **dict.fromkeys(("contains", "startswith", "endswith", "matchesPattern"), "Edm.Boolean"),
    **dict.fromkeys(
        ("indexof", "length", "year", "month", "day", "hour", "minute", "second", "totaloffsetminutes"), "number"
    ),
    **dict.fromkeys(("fractionalseconds", "round", "floor", "ceiling"), "number"),
    **dict.fromkeys(("tolower", "toupper", "trim", "concat", "substring"), "string"),
    "date": "Edm.Date",
    "time": "Edm.TimeOfDay",
    **dict.fromkeys(("now", "maxdatetime", "mindatetime"), "Edm.DateTimeOffset"),
}
_STRING_FUNCTIONS = {
    "contains": "odata_contains",
    "startswith": "odata_startswith",
    "endswith": "odata_endswith",
    "indexof": "odata_indexof",
    "matchesPattern": "odata_matches",
}
_DATE_PARTS = ("year", "month", "day", "hour", "minute", "second", "fractionalseconds", "totaloffsetminutes")
_UNSUPPORTED_FUNCTIONS = ("totalseconds", "hassubset", "hassubsequence", "geo.distance", "geo.length")


def _family(edm: str | None) -> str | None:
    if edm is None:
        return None
    if edm in NUMERIC_TYPES or edm == "number":
        return "number"
    if edm in ("Edm.String", "enum", "string"):
        return "string"
    return edm


class Translator(AstToSqliteSqlVisitor):
    """Translates expressions over one entity set (`table`, aliased `alias` in the surrounding SELECT)."""

    def __init__(self, model: Model, table: Table, alias: str, aliases: Iterator[int] | None = None) -> None:
        super().__init__(table_alias=alias)
        self.model = model
        self.root = _EntityScope(table, alias)
        self.variables: dict[str, _Scope] = {}
        self._aliases = aliases if aliases is not None else itertools.count(1)

    # --- entry points -----------------------------------------------------------------------------------

    def condition(self, node: ast._Node) -> str:
        """SQL for a `$filter` expression (a 400 unless it is Boolean)."""
        family = self._type(node)
        if family is not None and family != "Edm.Boolean":
            raise ODataFailure(400, "The $filter expression must be a Boolean expression.", target="$filter")
        return str(self.visit(node))

    def order_term(self, node: ast._Node) -> str:
        if isinstance(node, (ast.Identifier, ast.Attribute)):
            path = self._resolve(node)
            if path.kind != "value":
                raise ODataFailure(400, "$orderby takes primitive properties and expressions only.", target="$orderby")
        return str(self.visit(node))

    def search(self, groups: tuple[tuple[tuple[bool, str], ...], ...]) -> str:
        """SQL for parsed `$search` terms: each term is looked for, ignoring case, in every string property."""
        table = self.root.table
        columns = ", ".join(f"{quote(self.root.alias)}.{quote(c.name)}" for c in table.string_columns())
        if not columns:
            return "0"
        alternatives = []
        for group in groups:
            terms = [
                ("NOT " if negated else "") + f"odata_has({sql_string(term)}, {columns})" for negated, term in group
            ]
            alternatives.append("(" + " AND ".join(terms) + ")")
        return "(" + " OR ".join(alternatives) + ")"

    # --- names --------------------------------------------------------------------------------------------

    def visit_Identifier(self, node: ast.Identifier) -> str:
        return self._value_sql(self._resolve(node), node)

    def visit_Attribute(self, node: ast.Attribute) -> str:
        return self._value_sql(self._resolve(node), node)

    def _value_sql(self, path: _Path, node: ast._Node) -> str:
        if path.kind == "collection":
            raise ODataFailure(400, f"The collection {_text(node)} can only be used with any() or all().")
        if path.kind == "value" and path.edm == "Edm.DateTimeOffset":
            return path.compose(f"odata_instant({path.sql})")
        if path.kind == "value" and path.edm == "Edm.Decimal":
            return path.compose(f"CAST({path.sql} AS REAL)")
        return path.compose(path.sql)

    def _raw_sql(self, node: ast._Node) -> str:
        """SQL for a function argument: date-times keep their own offset (no conversion to an instant)."""
        if isinstance(node, (ast.Identifier, ast.Attribute)):
            path = self._resolve(node)
            if path.kind == "value" and path.edm == "Edm.DateTimeOffset":
                return path.compose(path.sql)
        if isinstance(node, ast.DateTime):
            return sql_string(node.val)
        return str(self.visit(node))

    def _alias(self, prefix: str) -> str:
        return f"{prefix}{next(self._aliases)}"

    def _resolve(self, node: ast._Node) -> _Path:
        segments = _segments(node)
        scope: _Scope
        if segments[0] in self.variables:
            scope, rest = self.variables[segments[0]], segments[1:]
        else:
            scope, rest = self.root, segments
        wraps: list[_Wrap] = []
        while True:
            if isinstance(scope, _ElementScope):
                if rest:
                    raise ODataFailure(400, f"{_text(node)}: a primitive value has no property {rest[0]!r}.")
                return _Path("value", scope.sql, scope.edm, tuple(wraps))
            if isinstance(scope, _JsonScope):
                if not rest:
                    kind = "complex" if scope.type_name is not None else "value"  # dynamic: a value of any type
                    return _Path(kind, _json_extract(scope.source, scope.path), None, tuple(wraps))
                step = self._json_step(scope, rest[0], node)
                rest = rest[1:]
                if isinstance(step, _Path):
                    if rest:
                        raise ODataFailure(400, f"{_text(node)}: {step.edm or 'the value'} has no properties.")
                    return attrs.evolve(step, wraps=tuple(wraps))
                scope = step
                continue
            if not rest:
                key = scope.table.key[0] if scope.table.key else next(iter(scope.table.columns))
                return _Path("entity", f"{quote(scope.alias)}.{quote(key)}", None, tuple(wraps))
            name, rest = rest[0], rest[1:]
            column = scope.table.columns.get(name)
            if column is not None:
                sql = f"{quote(scope.alias)}.{quote(name)}"
                if column.kind == "complex":
                    scope = _JsonScope(sql, "$", column.edm)
                    continue
                if rest:
                    raise ODataFailure(400, f"{_text(node)}: the property {name!r} has no property {rest[0]!r}.")
                if column.kind == "collection":
                    return self._json_collection(sql, column.edm, tuple(wraps))
                return _Path("value", sql, "enum" if column.kind == "enum" else column.edm, tuple(wraps))
            navigation = scope.table.navigations.get(name)
            if navigation is None:
                raise ODataFailure(
                    400,
                    f"Could not find a property named '{name}' on type '{scope.table.type_name}'.",
                    target=_text(node),
                )
            target = self.model.table(navigation.target)
            inner = self._alias("n")
            link = self._alias("l") if navigation.link_table else ""
            from_sql, where = join_clause(self.model, navigation, scope.table, scope.alias, inner, link)
            if navigation.collection:
                if rest:
                    raise ODataFailure(
                        400, f"{_text(node)}: the collection {name!r} can only be used with any() or all()."
                    )

                def exists(
                    condition: Callable[[_Scope], str | None],
                    every: bool,
                    from_sql: str = from_sql,
                    where: str = where,
                    element: _Scope = _EntityScope(target, inner),
                ) -> str:
                    test = condition(element)
                    if test is None:
                        return f"EXISTS (SELECT 1 FROM {from_sql} WHERE {where})"
                    if every:
                        return f"NOT EXISTS (SELECT 1 FROM {from_sql} WHERE {where} AND ({test}) IS NOT 1)"
                    return f"EXISTS (SELECT 1 FROM {from_sql} WHERE {where} AND ({test}) IS 1)"

                return _Path("collection", "", None, tuple(wraps), exists)
            wraps.append(_subquery(from_sql, where))
            scope = _EntityScope(target, inner)

    def _json_step(self, scope: _JsonScope, name: str, node: ast._Node) -> _Path | _Scope:
        path = f'{scope.path}."{name}"'
        declared = {p.name: p for p in self.model.properties(scope.type_name)} if scope.type_name else {}
        prop = declared.get(name)
        if prop is None:
            if scope.type_name is not None and not self.model.is_open(scope.type_name):
                raise ODataFailure(
                    400, f"Could not find a property named '{name}' on type '{scope.type_name}'.", target=_text(node)
                )
            return _JsonScope(scope.source, path, None)  # dynamic: a value, or a further dynamic object
        kind, type_name = self.model.classify(prop.type)
        if kind == "complex":
            return _JsonScope(scope.source, path, type_name)
        if kind == "collection":
            return self._json_collection(_json_extract(scope.source, path), type_name, ())
        return _Path("value", _json_extract(scope.source, path), "enum" if kind == "enum" else type_name)

    def _json_collection(self, sql: str, element_type: str, wraps: tuple[_Wrap, ...]) -> _Path:
        alias = self._alias("j")
        element: _Scope
        if element_type in self.model.structured:
            element = _JsonScope(f"{quote(alias)}.value", "$", element_type)
        else:
            element = _ElementScope(f"{quote(alias)}.value", element_type)

        def exists(condition: Callable[[_Scope], str | None], every: bool) -> str:
            test = condition(element)
            source = f"json_each({sql}) AS {quote(alias)}"
            if test is None:
                return f"EXISTS (SELECT 1 FROM {source})"
            if every:
                return f"NOT EXISTS (SELECT 1 FROM {source} WHERE ({test}) IS NOT 1)"
            return f"EXISTS (SELECT 1 FROM {source} WHERE ({test}) IS 1)"

        return _Path("collection", "", None, wraps, exists)

    def visit_CollectionLambda(self, node: ast.CollectionLambda) -> str:
        path = self._resolve(node.owner)
        if path.kind != "collection" or path.exists is None:
            raise ODataFailure(400, f"{_text(node.owner)} is not a collection; any() and all() need one.")
        lambda_ = node.lambda_
        every = isinstance(node.operator, ast.All)

        def condition(element: _Scope) -> str | None:
            if lambda_ is None:
                return None
            variable = lambda_.identifier.name
            if variable in self.variables or variable in self.root.table.columns:
                raise ODataFailure(400, f"The lambda variable {variable!r} hides another name.")
            self.variables[variable] = element
            try:
                if self._type(lambda_.expression) not in (None, "Edm.Boolean"):
                    raise ODataFailure(400, "The body of any()/all() must be a Boolean expression.")
                return str(self.visit(lambda_.expression))
            finally:
                del self.variables[variable]

        return path.compose(path.exists(condition, every))

    # --- types --------------------------------------------------------------------------------------------

    def _type(self, node: ast._Node) -> str | None:
        """The type family of an expression where it is evident (for the checks OData servers make)."""
        if isinstance(node, (ast.Identifier, ast.Attribute)):
            path = self._resolve(node)
            return _family(path.edm) if path.kind == "value" else path.kind
        literal = _LITERAL_TYPES.get(type(node))
        if literal is not None:
            return _family(literal)
        if isinstance(node, (ast.Compare, ast.BoolOp, ast.CollectionLambda)):
            return "Edm.Boolean"
        if isinstance(node, ast.UnaryOp):
            return "Edm.Boolean" if isinstance(node.op, ast.Not) else self._type(node.operand)
        if isinstance(node, ast.BinOp):
            return "number"
        if isinstance(node, ast.Call):
            return _family(_CALL_TYPES.get(_full_name(node.func)))
        return None

    def _check_comparable(self, node: ast.Compare) -> None:
        left = self._type(node.left)
        rights = [node.right] if not isinstance(node.right, ast.List) else list(node.right.val)
        for right_node in rights:
            right = self._type(right_node)
            if left in ("entity", "complex") or right in ("entity", "complex"):
                if not (isinstance(node.right, ast.Null) or isinstance(node.left, ast.Null)):
                    raise ODataFailure(400, "A navigation or complex property can only be compared with null.")
                continue
            if left is not None and right is not None and left != right:
                raise ODataFailure(400, f"Cannot compare {_type_name(left)} with {_type_name(right)}.")
            if not isinstance(node.comparator, (ast.Eq, ast.NotEq, ast.In)) and "Edm.Boolean" in (left, right):
                raise ODataFailure(400, "Booleans can only be compared with eq and ne.")

    # --- operators ----------------------------------------------------------------------------------------

    def visit_Compare(self, node: ast.Compare) -> str:
        self._check_comparable(node)
        left = self.visit(node.left)
        right = self.visit(node.right)
        comparator = node.comparator
        if isinstance(comparator, ast.Eq):
            return f"({left} IS {right})"
        if isinstance(comparator, ast.NotEq):
            return f"({left} IS NOT {right})"
        return f"COALESCE({left} {self.visit(comparator)} {right}, 0)"

    def visit_BoolOp(self, node: ast.BoolOp) -> str:
        for operand in (node.left, node.right):
            if self._type(operand) not in (None, "Edm.Boolean"):
                raise ODataFailure(400, f"The operands of {self.visit(node.op).lower()} must be Boolean.")
        return f"({self.visit(node.left)} {self.visit(node.op)} {self.visit(node.right)})"

    def visit_UnaryOp(self, node: ast.UnaryOp) -> str:
        if isinstance(node.op, ast.Not):
            if self._type(node.operand) not in (None, "Edm.Boolean"):
                raise ODataFailure(400, "The operand of not must be Boolean.")
            return f"(NOT {self.visit(node.operand)})"
        if self._type(node.operand) not in (None, "number"):
            raise ODataFailure(400, "Negation needs a number.")
        return f"(-{self.visit(node.operand)})"

    def visit_BinOp(self, node: ast.BinOp) -> str:
        for operand in (node.left, node.right):
            family = self._type(operand)
            if family not in (None, "number"):
                raise ODataFailure(400, f"Arithmetic on {_type_name(family)} is not supported.")
        return f"({self.visit(node.left)} {self.visit(node.op)} {self.visit(node.right)})"

    # --- literals -----------------------------------------------------------------------------------------

    def visit_DateTime(self, node: ast.DateTime) -> str:
        value = instant(node.val)
        if value is None:
            raise ODataFailure(400, f"{node.val!r} is not a valid date and time.")
        return sql_string(value)

    def visit_Date(self, node: ast.Date) -> str:
        try:
            return sql_string(dt.date.fromisoformat(node.val).isoformat())
        except ValueError:
            raise ODataFailure(400, f"{node.val!r} is not a valid date.") from None

    def visit_Time(self, node: ast.Time) -> str:
        return sql_string(node.val)

    def visit_GUID(self, node: ast.GUID) -> str:
        return sql_string(node.val.lower())

    def visit_Duration(self, node: ast.Duration) -> str:
        raise ODataFailure(400, "duration literals are not supported by the sandbox.")

    def visit_Geography(self, node: ast.Geography) -> str:
        raise ODataFailure(400, "geography literals are not supported by the sandbox.")

    def generic_visit(self, node: ast._Node) -> str:
        raise ODataFailure(400, f"The expression {type(node).__name__} is not supported by the sandbox.")

    # --- functions ----------------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> str:
        name = _full_name(node.func)
        args = list(node.args)
        if name in _UNSUPPORTED_FUNCTIONS or name.startswith("geo."):
            raise ODataFailure(400, f"The function {name}() is not supported by the sandbox.")
        if name in _STRING_FUNCTIONS or name in ("length", "tolower", "toupper", "trim", "concat", "substring"):
            for arg in args[:2] if name != "substring" else args[:1]:
                if self._type(arg) not in (None, "string"):
                    raise ODataFailure(400, f"The function {name}() takes strings, not {_type_name(self._type(arg))}.")
        sql = [self.visit(arg) for arg in args] if name not in _DATE_PARTS + ("date", "time") else []
        if name in _STRING_FUNCTIONS:
            return f"{_STRING_FUNCTIONS[name]}({sql[0]}, {sql[1]})"
        if name == "length":
            return f"LENGTH({sql[0]})"
        if name in ("tolower", "toupper", "trim"):
            return f"odata_{name}({sql[0]})"
        if name == "concat":
            return f"({sql[0]} || {sql[1]})"
        if name == "substring":
            if len(sql) == 2:
                return f"SUBSTR({sql[0]}, ({sql[1]}) + 1)"
            return f"SUBSTR({sql[0]}, ({sql[1]}) + 1, {sql[2]})"
        if name in _DATE_PARTS or name in ("date", "time"):
            family = self._type(args[0])
            if family not in (None, "Edm.DateTimeOffset", "Edm.Date", "Edm.TimeOfDay"):
                raise ODataFailure(400, f"The function {name}() takes a date or time, not {_type_name(family)}.")
            return f"odata_part({sql_string(name)}, {self._raw_sql(args[0])})"
        if name in ("round", "floor", "ceiling"):
            if self._type(args[0]) not in (None, "number"):
                raise ODataFailure(400, f"The function {name}() takes a number.")
            return f"odata_{name}({sql[0]})"
        if name == "now":
            return sql_string(dt.datetime.now(dt.timezone.utc).strftime(INSTANT_FORMAT))
        if name == "maxdatetime":
            return sql_string("9999-12-31T23:59:59.999999Z")
        if name == "mindatetime":
            return sql_string("0001-01-01T00:00:00.000000Z")
        raise ODataFailure(400, f"The function {name}() is not supported by the sandbox.")


def join_clause(
    model: Model, navigation: Navigation, source: Table, source_alias: str, target_alias: str, link_alias: str
) -> tuple[str, str]:
    """(FROM ..., WHERE ...) reaching `navigation`'s targets (as `target_alias`) from a source row."""
    target = model.table(navigation.target)
    table = f"{quote(target.name)} AS {quote(target_alias)}"
    if navigation.link_table is None:
        pairs = zip(navigation.target_columns, navigation.source_columns)
        where = " AND ".join(f"{quote(target_alias)}.{quote(t)} = {quote(source_alias)}.{quote(s)}" for t, s in pairs)
        return table, where
    sources, targets = link_columns(model, navigation, source)
    on = " AND ".join(
        f"{quote(target_alias)}.{quote(k)} = {quote(link_alias)}.{quote(t)}" for k, t in zip(target.key, targets)
    )
    where = " AND ".join(
        f"{quote(link_alias)}.{quote(s)} = {quote(source_alias)}.{quote(k)}" for s, k in zip(sources, source.key)
    )
    return f"{quote(navigation.link_table)} AS {quote(link_alias)} JOIN {table} ON {on}", where


def _subquery(from_sql: str, where: str) -> _Wrap:
    def wrap(sql: str) -> str:
        return f"(SELECT {sql} FROM {from_sql} WHERE {where})"

    return wrap


def _full_name(node: ast.Identifier) -> str:
    return ".".join((*node.namespace, node.name))


def _json_extract(source: str, path: str) -> str:
    return f"json_extract({source}, {sql_string(path)})"


def _segments(node: ast._Node) -> list[str]:
    if isinstance(node, ast.Identifier):
        if node.namespace:
            raise ODataFailure(400, f"Qualified names and type casts ({_full_name(node)}) are not supported.")
        return [node.name]
    if isinstance(node, ast.Attribute):
        attr: Any = node.attr
        name = attr if isinstance(attr, str) else _text(attr)
        return [*_segments(node.owner), *name.split("/")]
    raise ODataFailure(400, f"{_text(node)} is not a property path.")


def _text(node: ast._Node) -> str:
    if isinstance(node, ast.Identifier):
        return _full_name(node)
    if isinstance(node, ast.Attribute):
        attr: Any = node.attr
        return f"{_text(node.owner)}/{attr if isinstance(attr, str) else _text(attr)}"
    return type(node).__name__


def _type_name(family: str | None) -> str:
    return {"number": "a number", "string": "a string", None: "an unknown type"}.get(family, str(family))
