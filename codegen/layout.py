"""Lines laid out exactly as black lays them out: generation runs no formatter.

Each function covers one statement shape the templates emit, with black's splits for it when it is too long,
as far as the names a real service has go (Graph's longest are 85 characters). `tests/test_layout.py` checks
each shape against black over random lengths, and the golden tests check whole generated packages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

import attrs

if TYPE_CHECKING:
    from .plan import FieldPlan, QueryPathPlan
    from .plan_service import ParameterPlan

LINE_LENGTH = 88


def python_literal(value: str | int) -> str:
    """A Python literal for a value from the document; strings go through `string_literal`."""
    return string_literal(value) if isinstance(value, str) else repr(value)


def escape_unprintable(text: str) -> str:
    """Replace every character that is not printable with its Python escape (`\\x00`, `\\u2028`, `\\ud800`).

    Covers NUL, `\\r`, form feeds, line and paragraph separators, lone surrogates (which cannot even be
    encoded as UTF-8) and invisible format characters. Callers escape backslashes first.
    """
    if text.isprintable():  # nearly always: one C call instead of one Python step per character
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def string_literal(text: str) -> str:
    """A double-quoted, one-line Python string literal equal to `text`, whatever `text` holds.

    The quotes are the ones black would pick (double, unless that needs more escapes than single), so
    formatting has nothing to change.
    """
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return quote + escape_unprintable(body) + quote


def comment(text: str) -> str:
    """`text` made safe to follow `# ` on one line: no line break can end the comment early."""
    return escape_unprintable(text.replace("\\", "\\\\")).strip()


def assignment(name: str, value: str, indent: int = 4) -> str:
    """`name = value`, with black's parentheses when only they make the line fit."""
    pad = " " * indent
    if indent + len(name) + 3 + len(value) <= LINE_LENGTH or indent + 4 + len(value) > LINE_LENGTH:
        return f"{name} = {value}"
    return f"{name} = (\n{pad}    {value}\n{pad})"


def import_from(module: str, name: str, indent: int = 4) -> str:
    """`from module import name`, wrapped as black wraps it when too long."""
    line = f"from {module} import {name}"
    if indent + len(line) <= LINE_LENGTH:
        return line
    return f"from {module} import (\n{' ' * (indent + 4)}{name},\n{' ' * indent})"


def tuple_literal(items: tuple[str, ...], indent: int = 4, prefix_length: int = 0) -> str:
    """A tuple of strings as black writes it: one line if it fits, else one item a line."""
    literals = [python_literal(item) for item in items]
    if len(literals) == 1:
        return f"({literals[0]},)"
    one_line = f"({', '.join(literals)})"
    if indent + prefix_length + len(one_line) <= LINE_LENGTH:
        return one_line
    inner = " " * (indent + 4)
    return "(" + "".join(f"\n{inner}{item}," for item in literals) + f"\n{' ' * indent})"


@attrs.frozen
class Call:
    """A call inside a generated statement, kept whole so that a split can break it where black would."""

    callee: str
    arguments: tuple[Argument, ...]

    def __str__(self) -> str:
        return f"{self.callee}({', '.join(map(str, self.arguments))})"


Argument = Union[str, Call]


def call_statement(name: str, annotation: str | None, value: Call, indent: int = 4) -> str:
    """`name[: annotation] = callee(arguments)`, split the way black splits it when it is too long."""
    target = f"{name}: {annotation}" if annotation else name
    line = f"{target} = {value}"
    if indent + len(line) <= LINE_LENGTH:
        return line
    if indent + len(target) + 3 + len(value.callee) + 1 <= LINE_LENGTH:
        return _split_call(f"{target} = ", value, "", indent)
    if annotation is None or indent + len(target) + 4 <= LINE_LENGTH:
        # black moves the whole call into parentheses when even its first line is too long; a plain name
        # only if that makes every line fit
        wrapped = f"{target} = (\n{' ' * (indent + 4)}{_element(value, '', indent + 4)}\n{' ' * indent})"
        if annotation is None and not _fits(wrapped, indent):
            return _split_call(f"{target} = ", value, "", indent)
        return wrapped
    return _split_at_annotation(name, annotation, value, indent)


def _split_at_annotation(name: str, annotation: str, value: Call, indent: int) -> str:
    """A statement too long even with its value in parentheses: black splits the annotation, inside the
    subscript of `list[X]` or `_q.Nested[QX]`, else inside parentheses it adds around it."""
    pad, inner = " " * indent, " " * (indent + 4)
    head, bracket, rest = annotation.partition("[")
    subscript = bool(bracket) and annotation.endswith("]") and not _top_level_union(annotation)[1:]
    opened = f"{name}: {head}["
    # When even `name: X[` is too long, black gives up on the short first line it looks for and splits at the
    # call, then at the annotation: the call is split even where it would fit.
    forced = subscript and indent + len(opened) > LINE_LENGTH
    if subscript and (not forced or indent + len(name) + 3 > LINE_LENGTH):
        closing, body = "]", rest[:-1]
    else:
        opened, closing, body = f"{name}: (", ")", annotation
    if indent + 4 + len(body) > LINE_LENGTH:  # black splits a union that does not fit before each top-level `|`
        body = f"\n{inner}| ".join(_subscript(p, indent + 4) for p in _top_level_union(body))
    tail = _split_call(f"{closing} = ", value, "", indent) if forced else _element(value, "", indent, f"{closing} = ")
    return f"{opened}\n{inner}{body}\n{pad}{tail}"


def parenthesised_annotation(annotation: str, indent: int) -> str:
    """An annotation on its own line(s) inside black's parentheses at `indent`: split before each top-level
    `|`, and inside a member's brackets, when it does not fit."""
    if indent + len(annotation) <= LINE_LENGTH:
        return annotation
    return f"\n{' ' * indent}| ".join(_subscript(p, indent) for p in _top_level_union(annotation))


def _subscript(annotation: str, indent: int) -> str:
    """`list[X]`, split inside its brackets when too long at `indent`, as black splits a union's member;
    a union inside that still does not fit (`list[X | None]`) is split again before each of its `|`."""
    head, bracket, rest = annotation.partition("[")
    if not bracket or indent + len(annotation) + 2 <= LINE_LENGTH:
        return annotation
    inner, body = " " * (indent + 4), rest[:-1]
    if indent + 4 + len(body) > LINE_LENGTH:
        body = f"\n{inner}| ".join(_top_level_union(body))
    return f"{head}[\n{inner}{body}\n{' ' * indent}]"


def _top_level_union(annotation: str) -> list[str]:
    """The members of `A | list[B | C] | None` outside brackets: `A`, `list[B | C]`, `None`."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        depth += (char == "[") - (char == "]")
        if depth == 0 and annotation.startswith(" | ", index):
            parts.append(annotation[start:index])
            start = index + 3
    return parts + [annotation[start:]]


def _fits(text: str, indent: int) -> bool:
    """Whether every line fits; the first is indented by the caller, the others carry their indentation."""
    first, *others = text.split("\n")
    return indent + len(first) <= LINE_LENGTH and all(len(line) <= LINE_LENGTH for line in others)


def _element(value: Argument, tail: str, indent: int, prefix: str = "") -> str:
    """`prefix + value + tail` at `indent`, with a call split as black splits one that does not fit."""
    text = f"{prefix}{value}{tail}"
    if indent + len(text) <= LINE_LENGTH or isinstance(value, str):
        return text
    return _split_call(prefix, value, tail, indent)


def _split_call(prefix: str, call: Call, tail: str, indent: int) -> str:
    """`prefix + callee(` / the arguments, on one line if they fit, else one a line / `)` + `tail`."""
    pad, inner = " " * indent, " " * (indent + 4)
    joined = ", ".join(map(str, call.arguments))
    if indent + 4 + len(joined) <= LINE_LENGTH:
        return f"{prefix}{call.callee}(\n{inner}{joined}\n{pad}){tail}"
    comma = "," if len(call.arguments) > 1 else ""  # black adds the comma when it splits at commas only
    lines = "".join(f"\n{inner}{_element(a, comma, indent + 4)}" for a in call.arguments)
    return f"{prefix}{call.callee}({lines}\n{pad}){tail}"


def call_line(callee: str, arguments: tuple[str, ...], indent: int, prefix: str = "") -> str:
    """`prefix + callee(arguments)` (a decorator, a call statement), split as black splits it when too long."""
    return _element(Call(callee, arguments), "", indent, prefix=prefix)


def return_call(callee: str, argument: str, indent: int = 8) -> str:
    """`return callee(argument)`, split inside the call as black splits it when too long."""
    return _element(Call(callee, (argument,)), "", indent, prefix="return ")


def field_statement(field: FieldPlan, indent: int = 4) -> str:
    """An attrs field: `name: annotation = _attrs.field(default=..., metadata=_rt.wire("Wire", "Edm.Int32"))`."""
    default = {"None": "default=None", "list": "factory=list"}.get(field.default or "")
    arguments: list[Argument] = [default] if default else []
    if field.storage != field.attribute:  # a deprecated property's private field keeps the public init argument
        arguments.append(f"alias={python_literal(field.attribute)}")
    wire = [python_literal(field.wire_name)] + ([python_literal(field.edm_type)] if field.edm_type else [])
    arguments.append(Call("metadata=_rt.wire", tuple(wire)))
    return call_statement(field.storage, field.annotation, Call("_attrs.field", tuple(arguments)), indent)


def query_statement(attribute: str, query: QueryPathPlan, indent: int = 4) -> str:
    """A query type's descriptor: `score = _q.Property("Score", _q.IntExpr, "Edm.Int32")`."""
    return call_statement(attribute, query.annotation, Call(query.callee, query.arguments), indent)


def class_statement(name: str, base: str) -> str:
    """`class Name(Base):`, split as black splits it, a subscripted base (`EntitySet[A, QA]`) included."""
    line = f"class {name}({base}):"
    if len(line) <= LINE_LENGTH:
        return line
    if 4 + len(base) <= LINE_LENGTH or not base.endswith("]"):
        return f"class {name}(\n    {base}\n):"
    head, _, arguments = base[:-1].partition("[")
    if 8 + len(arguments) <= LINE_LENGTH:
        inner = f"{head}[\n        {arguments}\n    ]"
    else:
        inner = f"{head}[" + "".join(f"\n        {a}," for a in arguments.split(", ")) + "\n    ]"
    return f"class {name}(\n    {inner}\n):"


def constraint(parameter: ParameterPlan) -> str:
    """`_http.Constraint(max_length=50)` / `_http.Constraint(allowed=("N", "U", "S"))`."""
    arguments = []
    if parameter.max_length is not None:
        arguments.append(f"max_length={parameter.max_length}")
    if parameter.allowed_values:
        values = ", ".join(parameter.allowed_values) + ("," if len(parameter.allowed_values) == 1 else "")
        arguments.append(f"allowed=({values})")
    return f"_http.Constraint({', '.join(arguments)})"


def parameter(name: str, annotation: str, default: str | None = None, indent: int = 8) -> str:
    """A parameter line of an exploded signature; black wraps a long annotation in parentheses."""
    tail = f" = {default}," if default is not None else ","
    if indent + len(name) + 2 + len(annotation) + len(tail) <= LINE_LENGTH:
        return f"{name}: {annotation}{tail}"
    pad = " " * indent
    return f"{name}: (\n{pad}    {annotation}\n{pad}){tail}"


def self_method(name: str, returns: str, indent: int = 4) -> str:
    """`def name(self) -> T:`, or black's split form when that is too long."""
    line = f"def {name}(self) -> {returns}:"
    if indent + len(line) <= LINE_LENGTH:
        return line
    pad = " " * indent
    return f"def {name}(\n{pad}    self,\n{pad}) -> {returns}:"


def generic_self_method(name: str, generic: str, argument: str, indent: int = 4) -> str:
    """`def name(self) -> G[A]:` as black lays it out: split at `self`, then inside the brackets, then at the
    top-level `|` of `A` (a link property's `_refs.CollectionRefs[str | Person]`)."""
    returns = f"{generic}[{argument}]"
    if (
        indent + len(f"def {name}(self) -> {returns}:") <= LINE_LENGTH
        or indent + len(f") -> {returns}:") <= LINE_LENGTH
    ):
        return self_method(name, returns, indent)
    pad, inner = " " * indent, " " * (indent + 4)
    body = argument if indent + 4 + len(argument) <= LINE_LENGTH else f"\n{inner}| ".join(_top_level_union(argument))
    return f"def {name}(\n{inner}self,\n{pad}) -> {generic}[\n{inner}{body}\n{pad}]:"
