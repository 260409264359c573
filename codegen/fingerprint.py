"""One digest of everything a generation reads: when it matches the manifest's, the output cannot have changed.

Inputs are the metadata and referenced documents (their bytes), the spec's effective settings, and the
generator itself: the bytes of every file of the codegen package and of its templates, the Python version and
the versions of the libraries that shape the output. A version string alone would miss an edited checkout.
The user templates of the spec's [templates] directory count by name and bytes, exactly those the renderer loads.
Where the output is written (machine paths) is left out: the same spec gives the same digest in any checkout.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
from importlib import metadata as distributions
from pathlib import Path
from typing import Any

import attrs

from .csdl.limits import MAX_DOCUMENT_BYTES
from .errors import TemplateError
from .overrides import overrides
from .render import TEMPLATES
from .spec import Spec

_PACKAGE = Path(__file__).resolve().parent
# Libraries whose version can change the bytes written; a missing one counts as "absent".
_SHAPING_DISTRIBUTIONS = ("jinja2", "lxml")
# Spec fields naming where the output goes, not what it holds: the digest must not depend on the machine.
_LOCATION_FIELDS = frozenset({"output_dir"})


def fingerprint(spec: Spec) -> str | None:
    """The digest of every input of generating `spec`, or None when one cannot be read (the full run says why)."""
    digest = hashlib.sha256()
    digest.update(generator_digest().encode())
    digest.update(json.dumps(settings(spec), sort_keys=True, ensure_ascii=True).encode())
    for name, path in [("metadata", spec.metadata), *sorted(spec.references.items())]:
        content = _document(path)
        if content is None:
            return None
        digest.update(f"\0{len(name)}:{name}\0{len(content)}\0".encode())
        digest.update(content)
    user_templates = _user_templates(spec)
    if user_templates is None:
        return None
    digest.update(user_templates.encode())
    return digest.hexdigest()


def _user_templates(spec: Spec) -> str | None:
    """The digest of the spec's user templates (by file name, never by where they are), "" without any, or None
    when they cannot be read or one is not a template (the full run says why)."""
    if spec.templates is None:
        return ""
    try:
        found = overrides(spec.templates, TEMPLATES)
        digest = hashlib.sha256(b"templates")
        for name, path in sorted(found.items()):
            content = path.read_bytes()
            digest.update(f"\0{name}\0{len(content)}\0".encode())
            digest.update(content)
    except (TemplateError, OSError):
        return None
    return digest.hexdigest()


def settings(spec: Spec) -> dict[str, Any]:
    """The spec as the generator sees it, machine paths left out. Every field is named, so one added to Spec
    later changes the digest rather than being silently ignored."""
    shown: dict[str, Any] = {}
    for field in attrs.fields(Spec):
        value = getattr(spec, field.name)
        if field.name in _LOCATION_FIELDS:
            continue
        if field.name == "metadata":
            shown[field.name] = value.name  # generated docstrings name the file
        elif field.name == "source":
            shown[field.name] = value is not None  # with a spec file the client is named after the service
        elif field.name == "templates":
            shown[field.name] = value is not None  # the files are hashed by name, not by where they are
        elif field.name == "references":
            shown[field.name] = sorted(value)  # their bytes are hashed, keyed by Uri
        else:
            shown[field.name] = repr(value)
    return shown


@functools.cache
def generator_digest() -> str:
    """The generator's code, templates and environment; read once per process."""
    environment = [platform.python_implementation(), platform.python_version()]
    environment += [f"{name}={_version(name)}" for name in _SHAPING_DISTRIBUTIONS]
    # The templates render.py reads: inside the package in a wheel, beside it in a checkout.
    roots = [_PACKAGE] if TEMPLATES.is_relative_to(_PACKAGE) else [_PACKAGE, TEMPLATES]
    return tree_digest(roots, "\0".join(environment))


def tree_digest(roots: list[Path], environment: str) -> str:
    """Every file below `roots` (name and bytes), and `environment`, in one digest."""
    digest = hashlib.sha256(environment.encode())
    for index, root in enumerate(roots):
        for path in sorted(_source_files(root)):
            content = path.read_bytes()
            name = f"{index}/{path.relative_to(root).as_posix()}"
            digest.update(f"\0{name}\0{len(content)}\0".encode())
            digest.update(content)
    return digest.hexdigest()


def _source_files(root: Path) -> list[Path]:
    """Regular files below root, without bytecode caches and the egg-info an editable install leaves."""
    return [
        path
        for path in root.rglob("*")
        if path.is_file()
        and not any(part == "__pycache__" or part.endswith(".egg-info") for part in path.relative_to(root).parts)
    ]


def _version(name: str) -> str:
    try:
        return distributions.version(name)
    except distributions.PackageNotFoundError:
        return "absent"


def _document(path: Path) -> bytes | None:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None
