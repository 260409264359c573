"""Lines laid out exactly as black lays them out, so most generated code needs no black run.

Each function covers one statement shape the templates emit. Where a shape still cannot fit,
the renderer notices the long line and runs black on that module; `tests/test_layout.py`
and the golden tests check the output against black itself.
"""

from __future__ import annotations

import json

from .plan import FieldPlan

LINE_LENGTH = 88


def python_literal(value: str | int) -> str:
    # Double quotes, as black writes them, so formatting has nothing to change.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


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
    """An attrs field line, laid out the way black lays it out, so black need not run over it."""
    arguments = {"None": ["default=None"], "list": ["factory=list"]}.get(field.default or "", [])
    arguments.append(f"metadata=_rt.wire({python_literal(field.wire_name)})")
    joined = ", ".join(arguments)
    target = f"{field.attribute}: {field.annotation} = "
    pad, inner = " " * indent, " " * (indent + 4)
    if indent + len(target) + len(joined) + 14 <= LINE_LENGTH:
        return f"{target}_attrs.field({joined})"
    if indent + len(target) + 13 <= LINE_LENGTH:
        if indent + 4 + len(joined) <= LINE_LENGTH:
            return f"{target}_attrs.field(\n{inner}{joined}\n{pad})"
        return f"{target}_attrs.field(" + "".join(f"\n{inner}{a}," for a in arguments) + f"\n{pad})"
    # black moves the whole call into parentheses when even its first line is too long
    return f"{target}(\n{inner}_attrs.field({joined})\n{pad})"


def class_statement(name: str, base: str) -> str:
    line = f"class {name}({base}):"
    return line if len(line) <= LINE_LENGTH else f"class {name}(\n    {base}\n):"
