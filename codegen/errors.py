"""Errors the generator reports to its user: one line, naming the file, the line and the problem."""

from __future__ import annotations

import os
from pathlib import Path

# Messages repeat names from the document or the spec, which an attacker chooses: a 9 MB type name must not
# become a 9 MB line on the user's terminal. Parts that print values cut them first; this is the backstop.
MAX_MESSAGE_LENGTH = 500


class CodegenError(Exception):
    """A problem with the user's input; the CLI prints it as one line and exits 2."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where = f"{self.path}:{self.line}"
        return f"{where}: {_bounded(self.message)}" if where else _bounded(self.message)


def _bounded(message: str) -> str:
    """At most MAX_MESSAGE_LENGTH characters, on one line."""
    one_line = message.replace("\r", " ").replace("\n", " ")
    return one_line if len(one_line) <= MAX_MESSAGE_LENGTH else one_line[: MAX_MESSAGE_LENGTH - 3] + "..."


class MetadataError(CodegenError):
    """The CSDL document is malformed, unsafe, or not OData V4."""


class SpecError(CodegenError):
    """The declarative codegen.toml spec is invalid."""


class OutputError(CodegenError):
    """The output directory cannot be written safely."""


class TemplateError(CodegenError):
    """A template of the spec's [templates] directory is unknown, unreadable, or fails to compile or render."""


def shown_path(path: Path) -> str:
    """A path as messages print it: relative to the working directory when it can be (Windows: another drive)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
