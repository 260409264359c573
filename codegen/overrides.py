"""User templates: the spec's `[templates] directory`, whose files replace the built-in templates of the same name.

The directory is listed here, once per use, and nowhere else: the renderer loads the files this module accepts
and the fingerprint hashes exactly those, so an edit is noticed and nothing else in the folder is ever read.
A user template is the user's code, but a spec may come from a pull request that CI checks: the renderer runs
overridden output in jinja's sandbox, so a template can print anything but cannot reach Python beyond what
it is given (docs/templates.md).
"""

from __future__ import annotations

import difflib
import stat
import types
from pathlib import Path

from .errors import TemplateError

# Far above any built-in template (the largest is 20 KB); a larger file is not a template.
MAX_TEMPLATE_BYTES = 1024 * 1024
# Entries looked at in the directory, hidden ones included: pointing it at a huge folder fails fast.
_MAX_ENTRIES = 1000


def builtin_names(builtins: Path) -> frozenset[str]:
    """The file names of the built-in templates, the only names a user template may have."""
    return frozenset(p.name for p in builtins.iterdir() if p.name.endswith(".jinja") and p.is_file())


def overrides(directory: Path, builtins: Path) -> dict[str, Path]:
    """File name -> path of every template in `directory`, each checked: a regular file (or a link to one) named
    after a built-in template, of bounded size. Hidden files (editor swap files) are skipped."""
    known = builtin_names(builtins)
    found: dict[str, Path] = {}
    try:
        entries = sorted(_bounded_listing(directory))
        for path in entries:
            if path.name.startswith("."):
                continue
            if path.name not in known:
                raise TemplateError(_unknown(path.name, known), path=str(path))
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise TemplateError("a template must be a regular file", path=str(path))
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateError(f"a template may hold at most {MAX_TEMPLATE_BYTES} bytes", path=str(path))
            found[path.name] = path
    except OSError as exc:
        raise TemplateError(f"cannot read the templates: {exc.strerror or exc}", path=str(exc.filename)) from None
    return found


def _bounded_listing(directory: Path) -> list[Path]:
    entries = []
    for path in directory.iterdir():
        entries.append(path)
        if len(entries) > _MAX_ENTRIES:
            raise TemplateError(f"more than {_MAX_ENTRIES} entries: not a templates directory", path=str(directory))
    return entries


def _unknown(name: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"the templates are {', '.join(sorted(known))}"
    return f"{name!r} is not the name of a built-in template, which is all a user template can replace; {hint}"


def blame(exc: BaseException, overridden: dict[str, Path]) -> TemplateError | None:
    """The error to report when rendering raised `exc` inside a user template, naming its file and line, or None
    when no user template is to blame (a bug of codegen's, reported as such).

    jinja raises syntax errors naming the file, and rewrites the traceback of any other error so that each
    template's frames carry its file name and line: the innermost frame in a user file is where the user's
    template went wrong (also when it called a built-in macro with the wrong arguments).
    """
    files = {str(path) for path in overridden.values()}
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not (isinstance(filename, str) and filename in files):
        filename, line = _innermost_frame(exc.__traceback__, files)
    if filename is None:
        return None
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateError(f"template error: {message}", path=filename, line=line)


def _innermost_frame(tb: types.TracebackType | None, files: set[str]) -> tuple[str | None, int | None]:
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in files:
            found = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return found
