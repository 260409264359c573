"""Lines laid out exactly as black lays them out, so most generated code needs no black run.

Each function covers one statement shape the templates emit. Where a shape still cannot fit,
the renderer notices the long line and runs black on that module; `tests/test_layout.py`
and the golden tests check the output against black itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def field_statement(field: FieldPlan, indent: int = 4) -> str:
    """An attrs field: `name: annotation = _attrs.field(default=..., metadata=_rt.wire("Wire", "Edm.Int32"))`."""
    arguments = {"None": ["default=None"], "list": ["factory=list"]}.get(field.default or "", [])
    wire = [python_literal(field.wire_name)] + ([python_literal(field.edm_type)] if field.edm_type else [])
    arguments.append(f"metadata=_rt.wire({', '.join(wire)})")
    return call_statement(f"{field.attribute}: {field.annotation}", "_attrs.field", arguments, indent)


def query_statement(attribute: str, query: QueryPathPlan, indent: int = 4) -> str:
    """A query type's descriptor: `score = _q.Property("Score", _q.IntExpr, "Edm.Int32")`."""
    target = f"{attribute}: {query.annotation}" if query.annotation else attribute
    return call_statement(target, query.callee, list(query.arguments), indent)


def call_statement(target: str, callee: str, arguments: list[str], indent: int = 4) -> str:
    """`target = callee(arguments)`, split the way black splits it when it is too long."""
    joined = ", ".join(arguments)
    head = f"{target} = "
    pad, inner = " " * indent, " " * (indent + 4)
    if indent + len(head) + len(callee) + len(joined) + 2 <= LINE_LENGTH:
        return f"{head}{callee}({joined})"
    if indent + len(head) + len(callee) + 1 <= LINE_LENGTH:
        if indent + 4 + len(joined) <= LINE_LENGTH:
            return f"{head}{callee}(\n{inner}{joined}\n{pad})"
        return f"{head}{callee}(" + "".join(f"\n{inner}{a}," for a in arguments) + f"\n{pad})"
    # black moves the whole call into parentheses when even its first line is too long
    return f"{head}(\n{inner}{callee}({joined})\n{pad})"


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
