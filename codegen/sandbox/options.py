"""System query options ($filter, $orderby, $select, $expand, $top, $skip, $count, $search, $skiptoken) parsed
into an immutable `QueryOptions`; anything malformed is a 400 naming the option.

`$filter` and every `$orderby` expression are parsed by odata-query (`odata_query.grammar`); this module
only splits the option lists, which have no expression syntax of their own beyond commas, semicolons and
parentheses outside quoted strings.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import attrs
from odata_query import ast
from odata_query.exceptions import ODataException
from odata_query.grammar import ODataLexer, ODataParser

from .errors import ODataFailure
from .limits import MAX_EXPAND_DEPTH, MAX_EXPRESSION_DEPTH, check_nesting, unquoted

__all__ = ["ExpandItem", "OrderItem", "QueryOptions", "parse_expression", "parse_options", "split_top"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_ORDER = re.compile(r"(?P<expression>.*?)(?:\s+(?P<direction>asc|desc))?", re.IGNORECASE | re.DOTALL)
_TOP_LEVEL = ("$filter", "$orderby", "$top", "$skip", "$count", "$select", "$expand", "$search", "$skiptoken")
_NESTED = ("$filter", "$orderby", "$top", "$skip", "$count", "$select", "$expand", "$search")
_UNSUPPORTED = ("$levels", "$apply", "$compute", "$index", "$schemaversion", "$deltatoken", "$id")


@attrs.frozen
class OrderItem:
    expression: ast._Node
    descending: bool = False


@attrs.frozen
class ExpandItem:
    navigation: str  # a navigation property name, or "*"
    options: QueryOptions


@attrs.frozen
class QueryOptions:
    filter: ast._Node | None = None
    orderby: tuple[OrderItem, ...] = ()
    top: int | None = None
    skip: int = 0
    count: bool = False
    select: tuple[tuple[str, ...], ...] | None = None  # property paths; None selects every property
    expand: tuple[ExpandItem, ...] = ()
    # $search in disjunctive normal form: any group whose terms all hold; a term is (negated, text).
    search: tuple[tuple[tuple[bool, str], ...], ...] | None = None
    skiptoken: int = 0


def parse_options(pairs: Iterable[tuple[str, str]], *, nested: bool = False, level: int = 0) -> QueryOptions:
    """The options among `pairs` (decoded query parameters); names not starting with `$` are ignored.

    `level` counts the `$expand` options this one is inside (at most MAX_EXPAND_DEPTH)."""
    allowed = _NESTED if nested else _TOP_LEVEL
    seen: dict[str, str] = {}
    for raw_name, value in pairs:
        name = raw_name.strip().lower()
        if not name.startswith("$"):
            continue  # custom query options and parameter aliases are not system query options
        if name == "$format":
            if not value.strip().lower().startswith(("json", "application/json")):
                raise ODataFailure(406, f"$format={value} is not supported; the sandbox answers JSON only.")
            continue
        if name in _UNSUPPORTED:
            raise ODataFailure(400, f"The query option {raw_name} is not supported by the sandbox.", target=raw_name)
        if name not in allowed:
            where = "inside $expand" if nested else "here"
            raise ODataFailure(400, f"The query option {raw_name} is not allowed {where}.", target=raw_name)
        if name in seen:
            raise ODataFailure(400, f"The query option {raw_name} is given more than once.", target=raw_name)
        seen[name] = value
    return QueryOptions(
        filter=parse_expression(seen["$filter"], "$filter") if "$filter" in seen else None,
        orderby=_orderby(seen["$orderby"]) if "$orderby" in seen else (),
        top=_count_value(seen["$top"], "$top") if "$top" in seen else None,
        skip=_count_value(seen["$skip"], "$skip") if "$skip" in seen else 0,
        count=_boolean(seen["$count"], "$count") if "$count" in seen else False,
        select=_select(seen["$select"]) if "$select" in seen else None,
        expand=_expand(seen["$expand"], level + 1) if "$expand" in seen else (),
        search=_search(seen["$search"]) if "$search" in seen else None,
        skiptoken=_count_value(seen["$skiptoken"], "$skiptoken") if "$skiptoken" in seen else 0,
    )


def parse_expression(text: str, option: str) -> ast._Node:
    """One OData expression, parsed by odata-query; a 400 naming `option` when it is not valid."""
    if not text.strip():
        raise ODataFailure(400, f"{option} is empty.", target=option)
    check_nesting(text, option)  # before parsing: the AST and our translator of it are recursive
    try:
        node = ODataParser().parse(ODataLexer().tokenize(text))
    except RecursionError:
        raise ODataFailure(400, f"The {option} expression nests too deeply.", target=option) from None
    except ODataException as error:
        raise ODataFailure(400, f"Invalid {option} expression {text!r}: {error}", target=option) from None
    except Exception as error:  # sly reports some malformed input with its own exceptions
        raise ODataFailure(400, f"Invalid {option} expression {text!r}: {error}", target=option) from None
    if not isinstance(node, ast._Node):
        raise ODataFailure(400, f"Invalid {option} expression {text!r}.", target=option)
    if _depth(node) > MAX_EXPRESSION_DEPTH:
        raise ODataFailure(
            400,
            f"The {option} expression nests operators more than {MAX_EXPRESSION_DEPTH} deep"
            " (a chain of n and/or terms is n deep; use `in` for a list of values).",
            target=option,
        )
    return node


def _depth(root: ast._Node) -> int:
    """How deep the expression tree is (`not not not x` is 4), counted with a stack rather than recursion."""
    deepest = 0
    pending: list[tuple[object, int]] = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        if not dataclasses.is_dataclass(node):
            continue
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            children = value if isinstance(value, (list, tuple)) else (value,)
            pending.extend((child, depth + 1) for child in children if isinstance(child, ast._Node))
    return deepest


def split_top(text: str, separator: str) -> list[str]:
    """`text` split at `separator` where it stands outside parentheses and single-quoted strings."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in unquoted(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ODataFailure(400, f"Unbalanced parentheses in {text!r}.")
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if depth or text.count("'") % 2:
        raise ODataFailure(400, f"Unbalanced parentheses or quotes in {text!r}.")
    parts.append(text[start:])
    return parts


def _count_value(text: str, option: str) -> int:
    if not re.fullmatch(r"[0-9]{1,18}", text.strip()):
        raise ODataFailure(400, f"{option} must be a non-negative integer, not {text!r}.", target=option)
    return int(text)


def _boolean(text: str, option: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise ODataFailure(400, f"{option} must be true or false, not {text!r}.", target=option)
    return value == "true"


def _orderby(text: str) -> tuple[OrderItem, ...]:
    items = []
    for part in split_top(text, ","):
        match = _ORDER.fullmatch(part.strip())
        assert match is not None  # the pattern matches any text
        expression = parse_expression(match["expression"], "$orderby")
        items.append(OrderItem(expression, (match["direction"] or "asc").lower() == "desc"))
    return tuple(items)


def _path(text: str, option: str) -> tuple[str, ...]:
    segments = tuple(segment.strip() for segment in text.strip().split("/"))
    if not all(_IDENTIFIER.fullmatch(segment) for segment in segments):
        raise ODataFailure(400, f"{option}: {text.strip()!r} is not a property path.", target=option)
    return segments


def _select(text: str) -> tuple[tuple[str, ...], ...] | None:
    items = [item.strip() for item in split_top(text, ",")]
    if "*" in items:
        return None
    return tuple(_path(item, "$select") for item in items)


def _expand(text: str, level: int) -> tuple[ExpandItem, ...]:
    if level > MAX_EXPAND_DEPTH:
        raise ODataFailure(400, f"$expand nests more than {MAX_EXPAND_DEPTH} levels deep.", target="$expand")
    check_nesting(text, "$expand", MAX_EXPAND_DEPTH * 2 + MAX_EXPRESSION_DEPTH)  # before reading it recursively
    items = []
    for part in split_top(text, ","):
        part = part.strip()
        name, paren, rest = part.partition("(")
        name = name.strip()
        if paren and not rest.endswith(")"):
            raise ODataFailure(400, f"$expand: cannot read {part!r}.", target="$expand")
        if name.endswith("/$ref") or name.endswith("/$count"):
            raise ODataFailure(400, f"$expand={name} is not supported by the sandbox.", target="$expand")
        if name != "*" and not _IDENTIFIER.fullmatch(name):
            raise ODataFailure(400, f"$expand: {name!r} is not a navigation property name.", target="$expand")
        pairs = []
        if paren:
            for option in split_top(rest[:-1], ";"):
                key, equals, value = option.partition("=")
                if not equals:
                    raise ODataFailure(400, f"$expand: cannot read the option {option!r} of {name}.", target=name)
                pairs.append((key.strip(), value.strip()))
        items.append(ExpandItem(name, parse_options(pairs, nested=True, level=level)))
    return tuple(items)


_SEARCH_TOKEN = re.compile(r'\s*(?:"(?P<phrase>(?:[^"\\]|\\.)*)"|(?P<word>[^\s"()]+)|(?P<other>\S))')


def _search(text: str) -> tuple[tuple[tuple[bool, str], ...], ...]:
    """`$search` terms: words or "phrases", joined by AND (or nothing), OR and NOT; no parentheses."""
    groups: list[list[tuple[bool, str]]] = [[]]
    negate = False
    position = 0
    text = text.strip()
    while position < len(text):
        match = _SEARCH_TOKEN.match(text, position)
        if match is None or match["other"]:
            raise ODataFailure(400, f"$search: cannot read {text!r} (parentheses are not supported).", target="$search")
        position = match.end()
        word = match["word"]
        if word == "OR":
            if not groups[-1] or negate:
                raise ODataFailure(400, f"$search: misplaced OR in {text!r}.", target="$search")
            groups.append([])
        elif word == "AND":
            if not groups[-1] or negate:
                raise ODataFailure(400, f"$search: misplaced AND in {text!r}.", target="$search")
        elif word == "NOT":
            negate = not negate
        else:
            term = word if word is not None else re.sub(r"\\(.)", r"\1", match["phrase"])
            groups[-1].append((negate, term))
            negate = False
    if not groups[-1] or negate:
        raise ODataFailure(400, f"$search: {text!r} is empty or ends with an operator.", target="$search")
    return tuple(tuple(group) for group in groups)
