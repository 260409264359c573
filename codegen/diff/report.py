"""Changes -> text for a terminal, Markdown for a pull-request comment, or versioned JSON (docs/diff-format.md).

Paths, names and values come from documents (allowed values are any string) or from a stored surface, so
each one passes `_clean` before it is printed: no control character reaches the terminal, no `|` or
backtick breaks out of a Markdown table cell, no value floods a line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .compare import Change

DIFF_FORMAT = "odata-codegen-diff"
DIFF_VERSION = 1
FORMATS = ("text", "json", "markdown")
_MAX_SHOWN = 200  # characters of one value in text and Markdown; JSON keeps values whole
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def render(changes: Sequence[Change], output_format: str) -> str:
    """The report in one of FORMATS, ending with a newline."""
    if output_format == "json":
        return render_json(changes)
    if output_format == "markdown":
        return render_markdown(changes)
    return render_text(changes)


def summary(changes: Sequence[Change]) -> str:
    """`3 changes: 1 breaking, 2 compatible`, or `no changes`."""
    if not changes:
        return "no changes"
    breaking = sum(c.breaking for c in changes)
    total = f"{len(changes)} change{'s' if len(changes) > 1 else ''}"
    return f"{total}: {breaking} breaking, {len(changes) - breaking} compatible"


def render_text(changes: Sequence[Change]) -> str:
    lines = []
    for title, group in _groups(changes):
        lines.append(f"{title} changes ({len(group)}):")
        lines += [f"  {_text_line(c)}" for c in group]
    lines.append(f"codegen: {summary(changes)}")
    return "\n".join(lines) + "\n"


def _text_line(change: Change) -> str:
    values = _values(change)
    python = f" ({', '.join(_clean(p) for p in change.python)})" if change.python else ""
    return f"{_clean(change.path)}: {change.kind}{values}{python}: {change.reason}"


def _values(change: Change) -> str:
    old, new = change.old, change.new
    if old is not None and new is not None:
        return f" {_clean(old)} -> {_clean(new)}"
    return f" {_clean(old if old is not None else new or '')}" if (old or new) is not None else ""


def render_markdown(changes: Sequence[Change]) -> str:
    lines = [f"### OData API diff: {summary(changes)}", ""]
    for title, group in _groups(changes):
        lines += [
            f"**{title}** ({len(group)})",
            "",
            "| Element | Change | Python | Old | New | Why |",
            "|---|---|---|---|---|---|",
        ]
        for c in group:
            python = "<br>".join(_code(p) for p in c.python)
            cells = [_code(c.path), f"`{c.kind}`", python, _code(c.old), _code(c.new), c.reason]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _code(value: str | None) -> str:
    """A Markdown code span that cannot end early or split the table: backticks and pipes are replaced."""
    if value is None:
        return ""
    return "`" + _clean(value).replace("`", "'").replace("|", "\\|") + "`"


def render_json(changes: Sequence[Change]) -> str:
    """The versioned report: see docs/diff-format.md. Sorted keys; changes in the order compare() gives."""
    report = {
        "format": DIFF_FORMAT,
        "version": DIFF_VERSION,
        "breaking": any(c.breaking for c in changes),
        "counts": {"breaking": sum(c.breaking for c in changes), "compatible": sum(not c.breaking for c in changes)},
        "changes": [
            {
                "kind": c.kind,
                "breaking": c.breaking,
                "path": c.path,
                "python": list(c.python),
                "old": c.old,
                "new": c.new,
                "reason": c.reason,
            }
            for c in changes
        ],
    }
    return json.dumps(report, indent=2, sort_keys=True) + "\n"


def _groups(changes: Sequence[Change]) -> list[tuple[str, list[Change]]]:
    breaking = [c for c in changes if c.breaking]
    compatible = [c for c in changes if not c.breaking]
    return [(title, group) for title, group in (("Breaking", breaking), ("Compatible", compatible)) if group]


def _clean(value: str) -> str:
    value = _CONTROL.sub("?", value)
    return value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 3] + "..."
