"""What each regeneration changed in the package's API: `.codegen-api.json` and `CHANGES.md` in the output.

`.codegen-api.json` is the API surface (codegen/diff) the output was generated with. The next run diffs
the new surface against it, without needing the old document, and puts the changes in front of the
`CHANGES.md` it finds: one entry per regeneration that changed the API, newest first, headed by the
generator version and the document's hash rather than a date, so the same inputs over the same output give
the same bytes. An unchanged API leaves both files as they are, which is what `--check` expects.

Both files come from the output directory, which anyone may have edited, so neither is trusted: a surface
that does not read back (codegen/diff/codec.py checks every field) is treated as absent, with a note in the
entry; a `CHANGES.md` whose header was edited is carried over whole, below the new header, and one that
cannot be read stops the run (OutputError) rather than lose its history.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import attrs

from . import __version__
from .diff import Change, Surface, SurfaceFormatError, compare, render, surface_from_json, surface_to_json
from .diff.codec import MAX_SURFACE_BYTES
from .errors import OutputError
from .layout import escape_unprintable

SURFACE_FILE = ".codegen-api.json"
CHANGES_FILE = "CHANGES.md"
_MAX_CHANGES_BYTES = 16 * 1024 * 1024
_HEADER = (
    "# API changes\n\n"
    "Written by codegen at each regeneration that changed the API of this package, newest first; each entry\n"
    "is what `python -m codegen diff` reports between the two documents. Do not edit: the next regeneration\n"
    "carries this file over as it is.\n"
)


@attrs.frozen
class History:
    """The two files to write, and what changed since the output on disk was generated."""

    files: dict[str, str]  # SURFACE_FILE and CHANGES_FILE, relative to the output directory
    changes: tuple[Change, ...] | None  # None: no previous surface to compare with (first run, or unreadable)


def history(target: Path, surface: Surface, *, source_name: str, source: bytes) -> History:
    """The surface and changelog files for output at `target` generated with `surface` from `source`."""
    stored = surface_to_json(surface)
    previous_text = _read(target / SURFACE_FILE, MAX_SURFACE_BYTES)
    entries = _entries(_changes_file(target / CHANGES_FILE))
    if previous_text == stored:  # the same API: nothing to parse, nothing to add
        return History({SURFACE_FILE: stored, CHANGES_FILE: _HEADER + entries}, ())
    previous, problem = _previous(previous_text, target)
    changes = None if previous is None else compare(previous, surface)
    heading = f"## codegen {__version__}, {_name(source_name)} sha256 {hashlib.sha256(source).hexdigest()[:12]}\n\n"
    if changes == ():
        entry = ""
    elif changes is not None:
        entry = heading + render(changes, "markdown").replace("### OData API diff: ", "", 1)
    else:
        entry = heading + f"First entry: {problem}.\n"
    return History({SURFACE_FILE: stored, CHANGES_FILE: _HEADER + ("\n" + entry if entry else "") + entries}, changes)


def _name(source_name: str) -> str:
    """The document's file name as a Markdown code span: it comes from the user's path and may hold anything
    (lone surrogates, control characters, backticks), none of which may reach the file."""
    return "`" + escape_unprintable(source_name.replace("\\", "\\\\")).replace("`", "'")[:200] + "`"


def _changes_file(path: Path) -> str | None:
    """The CHANGES.md found, None when there is none; one that cannot be carried over stops the run, as losing
    its history silently would be worse."""
    if not path.exists() and not path.is_symlink():
        return None
    text = _read(path, _MAX_CHANGES_BYTES)
    if text is None:
        raise OutputError(
            f"not a UTF-8 regular file of at most {_MAX_CHANGES_BYTES} bytes: move it aside", path=str(path)
        )
    return text


def _read(path: Path, limit: int) -> str | None:
    """The text of a regular file of at most `limit` bytes; None for anything else (absent, a link, binary)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _entries(text: str | None) -> str:
    """The entries of the CHANGES.md found (each `\n## ...`); one whose header was edited is kept whole."""
    if text is None:
        return ""
    return text[len(_HEADER) :] if text.startswith(_HEADER) else "\n" + text


def _previous(text: str | None, target: Path) -> tuple[Surface | None, str]:
    """The surface the output was generated with, or None and why there is none."""
    if text is None:
        if (target / SURFACE_FILE).exists() or (target / SURFACE_FILE).is_symlink():
            return None, f"{SURFACE_FILE} is not a readable file, so the earlier API is unknown"
        return None, "no earlier API is recorded"
    try:
        return surface_from_json(text, source=SURFACE_FILE), ""
    except SurfaceFormatError as exc:
        return None, f"{SURFACE_FILE} does not read back ({exc.message}), so the earlier API is unknown"
