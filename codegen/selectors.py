"""Selection patterns as the user writes them (`[select] include`, `--exclude`): parsed and bounded here, matched
against the document by plan_select.py.

A pattern is an `fnmatch` glob, optionally prefixed with the kind it names (`set:`, `singleton:`, `import:`,
`type:`, `operation:`).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .errors import SpecError

# Patterns are user input: each glob is tried against every name of its kinds (Graph: about 5,000), so the
# number of globs bounds the matching time; literal names are looked up in a dict and may be many more.
MAX_PATTERNS = 2_000
MAX_GLOB_PATTERNS = 100
MAX_PATTERN_LENGTH = 600  # a 511-character namespace, a dot and a 64-character name fit, with a kind prefix
KINDS = ("set", "singleton", "import", "type", "operation")
KIND_NAMES = {
    "set": "entity set",
    "singleton": "singleton",
    "import": "import",
    "type": "type",
    "operation": "operation",
}
_GLOB_CHARACTERS = frozenset("*?[")
SHOWN = 80


@attrs.frozen
class Pattern:
    """One include or exclude pattern, with where it was written for error messages."""

    text: str  # as written, with any `kind:` prefix
    option: str  # `[select] include`, `--exclude`, ...
    line: int | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        kind, colon, _ = self.text.partition(":")
        return (kind,) if colon else KINDS

    @property
    def glob(self) -> str:
        return self.text.partition(":")[2] if ":" in self.text else self.text

    @property
    def is_literal(self) -> bool:
        return not _GLOB_CHARACTERS & set(self.glob)


def patterns(
    values: Sequence[object], option: str, *, path: str | None, line_of: dict[str, int]
) -> tuple[Pattern, ...]:
    """Checked patterns from a spec list or repeated CLI option; `line_of` maps a pattern text to its line."""

    def fail(message: str, line: int | None) -> SpecError:
        return SpecError(f"{option} {message}", path=path, line=line)

    if len(values) > MAX_PATTERNS:
        raise fail(f"has {len(values):,} patterns; at most {MAX_PATTERNS:,} are allowed", line_of.get(""))
    found = []
    for value in values:
        if not isinstance(value, str):
            raise fail("must be a list of strings", line_of.get(""))
        problem = _pattern_problem(value)
        if problem:
            raise fail(f"pattern {value[:SHOWN]!r} {problem}", line_of.get(value, line_of.get("")))
        found.append(Pattern(value, option, line_of.get(value, line_of.get(""))))
    if sum(not p.is_literal for p in found) > MAX_GLOB_PATTERNS:
        raise fail(f"has more than {MAX_GLOB_PATTERNS} patterns with * ? or [; name things literally", line_of.get(""))
    return tuple(found)


def _pattern_problem(text: str) -> str | None:
    if len(text) > MAX_PATTERN_LENGTH:
        return f"is longer than {MAX_PATTERN_LENGTH} characters"
    if any(c.isspace() or not c.isprintable() for c in text):
        return "must not contain spaces or control characters"
    kind, colon, glob = text.partition(":")
    if colon and kind not in KINDS:
        return f"has an unknown kind {kind[:SHOWN]!r}; expected one of {', '.join(KINDS)}"
    if (glob if colon else text) == "":
        return "is empty"
    return None
