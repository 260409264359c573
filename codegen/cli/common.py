"""What every command shares: exit codes, the one-line argument errors, how warnings and prompts reach the user."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeAlias

from ..csdl.model import MetadataWarning

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
MAX_PRINTED_WARNINGS = 50  # Microsoft Graph must not flood the terminal; the summary counts the rest
# The subcommand registry each command module adds itself to (a string: argparse has no runtime generic).
Commands: TypeAlias = "argparse._SubParsersAction[Parser]"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage dump.
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def print_warning_count(count: int) -> None:
    """The summary line alone: the warnings were printed when the output was generated from these inputs."""
    if count:
        print("codegen: note: the metadata's warnings are not repeated; --full prints them", file=sys.stderr)
        print(f"codegen: {count} warning{'s' if count > 1 else ''}", file=sys.stderr)


def print_warnings(warnings: Sequence[MetadataWarning]) -> None:
    """On stderr after the run, so they are the last thing seen; the summary line ends them."""
    for warning in warnings[:MAX_PRINTED_WARNINGS]:
        print(f"codegen: warning: {warning}", file=sys.stderr)
    if len(warnings) > MAX_PRINTED_WARNINGS:
        print(f"codegen: and {len(warnings) - MAX_PRINTED_WARNINGS} more warnings", file=sys.stderr)
    if warnings:
        print(f"codegen: {len(warnings)} warning{'s' if len(warnings) > 1 else ''}", file=sys.stderr)


def terminal_prompt() -> Callable[[str, bool], str] | None:
    """What asks for missing credentials: the terminal, when there is one."""
    if not sys.stdin.isatty():
        return None
    from ..fetch import terminal_prompt as ask

    return ask
