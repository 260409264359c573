"""The text a deprecated element warns with, from its `Core.Revisions` entry.

`<OData name> is deprecated[ since <Version>]: <Description>`, on one line and bounded: it is printed by
mypy and by the warnings module, and written into generated code (through `string_literal`, as every text
from the document is).
"""

from __future__ import annotations

from .csdl.model import Deprecation

# Longer descriptions are cut: a warning is one line, and a hostile document could make it megabytes.
MAX_DESCRIPTION = 300
MAX_VERSION = 40


def message(name: str, deprecation: Deprecation | None) -> str | None:
    """The warning for the element called `name` in the document, or None when it is not deprecated."""
    if deprecation is None:
        return None
    since = f" since {_one_line(deprecation.version, MAX_VERSION)}" if deprecation.version else ""
    reason = f": {_one_line(deprecation.description, MAX_DESCRIPTION)}" if deprecation.description else ""
    return f"{name} is deprecated{since}{reason}"


def _one_line(text: str, limit: int) -> str:
    # str.split() splits at every Unicode line break and space (U+2028, NEL, ...); other unprintable
    # characters (ESC, NUL, bidi overrides) would reach the terminal when the warning is printed: `?` instead.
    joined = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return joined if len(joined) <= limit else joined[: limit - 3] + "..."
