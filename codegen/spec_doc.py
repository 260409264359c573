"""The spec's keys as documentation: the `--help` text of every command and the file `init` writes.

Both are rendered from spec.SPEC_KEYS, so what `--help` says, what `init` writes and what load_spec accepts
cannot drift apart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from .spec import SPEC_KEYS, SpecKey

_HELP_WIDTH = 100


def _sections() -> dict[str, dict[str, SpecKey]]:
    sections: dict[str, dict[str, SpecKey]] = {}
    for (section, key), doc in SPEC_KEYS.items():
        sections.setdefault(section, {})[key] = doc
    return sections


def _default(doc: SpecKey) -> str:
    if doc.default is None:
        return "required"
    return f"default: {doc.default[1:-1]}" if doc.default.startswith("<") else f"default: {doc.default}"


def spec_help() -> str:
    """Every spec key with what it means and its default, for an argparse epilog (RawDescriptionHelpFormatter)."""
    lines = ["spec file (codegen.toml) keys; paths in it are relative to the spec file:"]
    for section, keys in _sections().items():
        lines.append(f"  [{section}]")
        for key, doc in keys.items():
            text = f"{key}: {doc.help} ({_default(doc)})"
            lines.extend(textwrap.wrap(text, _HELP_WIDTH, initial_indent="    ", subsequent_indent="        "))
    return "\n".join(lines)


def commented_spec(values: Mapping[tuple[str, str], str], heading: str) -> str:
    """A codegen.toml with every key: those in `values` (TOML values) set, the others commented out with an example.

    `heading` is the file's opening comment (one or more lines, without the `# `).
    """
    unknown = set(values) - set(SPEC_KEYS)
    if unknown:
        raise ValueError(f"not spec keys: {sorted(unknown)}")  # a bug of the caller, never user input
    lines = [f"# {line}".rstrip() for line in heading.splitlines()]
    for section, keys in _sections().items():
        lines += ["", f"[{section}]"]
        for key, doc in keys.items():
            lines.append(f"# {doc.help} ({_default(doc)})")
            value = values.get((section, key))
            lines.append(f"{key} = {value}" if value is not None else f"# {key} = {doc.example}")
    return "\n".join(lines) + "\n"
