"""Writing a rendered package in one step, and comparing it with what is on disk.

The package is written to a sibling temporary directory and swapped in with
renames, so a failure never leaves a half-written package behind, and stale
modules of types that no longer exist disappear. A file whose bytes do not change
is hard-linked into the new directory rather than rewritten, and when nothing
changes at all, nothing is touched.

Ownership is proven by a manifest (`.codegen-manifest.json`) that lists every
file codegen wrote, with the generator version and the hash of the source
document, and a cache entry (a fingerprint of every input) by which the next
run can tell, without parsing or rendering, that nothing changed. A directory is replaced only when it holds such a manifest and
nothing else besides the files it lists (and Python's bytecode caches), so a
hand-written module, in the package or next to its files, is never deleted.

What building or installing a generated project leaves in it (`build/`, `dist/`,
`<name>.egg-info/`, tool caches) is neither ours nor the user's work: it is ignored by the
check and carried over into the new directory, so built wheels survive.

The user's extension module (`[extensions] module`, codegen/extensions.py) is the user's: it is not in the
manifest, its content is ignored by the check, a starter is written only where it is absent, and each
regeneration hard-links it (or, where links are not supported, copies it) into the new directory before the
swap, so at every instant one of the two directories holds it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from pathlib import Path
from typing import Any

import attrs

from . import __version__
from .errors import OutputError
from .extensions import UserModule

MANIFEST = ".codegen-manifest.json"
GENERATOR = "odata-codegen"
# A manifest is a short JSON file; a huge one was not written by us and is not read.
_MANIFEST_MAX_BYTES = 4 * 1024 * 1024
_REFUSAL = "refusing to replace a directory that codegen did not generate"
# Top-level entries that pip, setuptools or `python -m build` create in a project directory, and tool caches
# (`.mypy_cache`, `.pytest_cache`).
_BUILD_OUTPUT = re.compile(r"build|dist|[^/]+\.egg-info|\.[\w-]+_cache")
_LEGACY_HINT = f"it has no {MANIFEST} (codegen wrote none before 0.2); delete it once and generate again"


@attrs.frozen
class Difference:
    path: str
    kind: str  # "changed", "missing" (would be created) or "extra" (would be deleted)
    added: int = 0
    removed: int = 0

    def __str__(self) -> str:
        if self.kind == "changed":
            return f"changed: {self.path} (+{self.added} -{self.removed} lines)"
        return f"{'would create' if self.kind == 'missing' else 'would delete'}: {self.path}"


@attrs.frozen
class Cache:
    """What the next run needs to tell, without parsing or rendering, that nothing changed (fingerprint.py).

    Not content: a full comparison (`--check --full`, or any run whose fast path fails) ignores it, so a generator
    edit that leaves the output alike fails no check."""

    fingerprint: str | None  # None: an input changed while it was read, so no later run may trust it
    warnings: int  # how many the metadata had, for --strict and the summary line


def with_manifest(files: dict[str, str], *, source_name: str, source: bytes, cache: Cache) -> dict[str, str]:
    """`files` plus the manifest that proves, on the next run, that codegen wrote them."""
    hashes = {path: _sha256(text.encode("utf-8")) for path, text in files.items()}
    return {**files, MANIFEST: _manifest_text(hashes, source_name, source, cache)}


def _manifest_text(hashes: dict[str, str], source_name: str, source: bytes, cache: Cache) -> str:
    manifest = {
        "generator": GENERATOR,
        "version": __version__,
        "source": {"name": source_name, "sha256": _sha256(source)},
        "cache": {"fingerprint": cache.fingerprint, "warnings": cache.warnings},
        "files": dict(sorted(hashes.items())),
    }
    return _dump(manifest)


def _dump(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    with path.open("rb") as file:  # streamed: a file planted in the package may be of any size
        return hashlib.file_digest(file, "sha256").hexdigest()


def recorded_cache(
    target: Path, *, source_name: str, source: bytes, fingerprint: str, user: UserModule | None = None
) -> Cache | None:
    """The manifest's cache entry when the output at `target` is exactly what the inputs of `fingerprint` gave.

    Only the manifest's fingerprint and warning count are taken from it. Its file names are never opened: the
    files are those found on disk, each must be a regular file the manifest lists with its hash, none may be
    missing, and the manifest must be byte for byte the one codegen writes for them. Anything else (a hand
    edit, a stray file, a hostile or corrupt manifest) returns None, and the caller runs in full.
    """
    data = _read_manifest(target) if target.is_dir() else None
    cache = data.get("cache") if data is not None else None
    if data is None or not isinstance(cache, dict) or cache.get("fingerprint") != fingerprint:
        return None
    warnings, listed = cache.get("warnings"), data["files"]
    if type(warnings) is not int or warnings < 0 or not isinstance(listed, dict):
        return None
    recorded = Cache(fingerprint, warnings)
    try:
        if _staging_leftovers(target):  # an interrupted run's: the full run cleans them up
            return None
        entries = _entries(target, user=user)
        if set(entries) != set(listed) | {MANIFEST} or not all(entries.values()):
            return None
        if user is not None and not _user_module_present(target, user):
            return None  # the full run writes its starter
        hashes = {path: _file_sha256(target / path) for path in entries if path != MANIFEST}
        on_disk = (target / MANIFEST).read_bytes()
    except OSError:  # unreadable, or changed under us: the full run says what is wrong
        return None
    return recorded if on_disk == _manifest_text(hashes, source_name, source, recorded).encode() else None


def write_package(files: dict[str, str], target: Path, user: UserModule | None = None) -> None:
    try:
        _write_package(files, _real_target(target), user)
    except OSError as exc:  # an unwritable or non-directory --out is bad input, not a bug of ours
        message = f"cannot write the package: {exc.strerror or exc}"
        raise OutputError(message, path=str(exc.filename or target)) from None


def _real_target(target: Path) -> Path:
    """A symlinked package directory is written where the link points, never replaced by a directory."""
    if not target.is_symlink():
        return target
    if not target.exists():
        raise OutputError("the package directory is a symlink to nothing; fix or remove the link", path=str(target))
    return target.resolve()


def _write_package(files: dict[str, str], target: Path, user: UserModule | None) -> None:
    _check_replaceable(target, user)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target, set(files))
    kept = _unchanged(files, target)
    if kept == set(files) and set(_entries(target, user=user)) == kept:
        if user is None or _user_module_present(target, user):
            return  # the same bytes, and nothing to delete: no file is touched
    # Not tempfile.mkdtemp: its 0700 mode would become the package directory's mode; mkdir honours the umask.
    staging = target.parent / f".{target.name}-{secrets.token_hex(6)}"
    staging.mkdir()
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if relative not in kept or not _linked(target / relative, path):
                path.write_bytes(text.encode("utf-8"))
        if user is not None:
            _carry_user_module(target, staging, user)
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _unchanged(files: dict[str, str], target: Path) -> set[str]:
    """The files whose bytes at `target` are already the new ones: the swap keeps them, not copies of them."""
    if not target.is_dir():
        return set()
    kept = set()
    for relative, text in files.items():
        path = target / relative
        try:
            same = stat.S_ISREG(path.lstat().st_mode) and path.read_bytes() == text.encode("utf-8")
        except OSError:
            same = False
        if same:
            kept.add(relative)
    return kept


def _user_module_present(target: Path, user: UserModule) -> bool:
    return os.path.lexists(target / f"{user.path}.py") or os.path.lexists(target / user.path)


def _carry_user_module(target: Path, staging: Path, user: UserModule) -> None:
    """The user's module into the new directory as it is (a link to the same file, or a copy), or the starter
    where there is none."""
    for relative in (f"{user.path}.py", user.path):
        existing = target / relative
        if existing.is_symlink() or existing.is_file():
            _link_or_copy(existing, staging / relative)
        elif existing.is_dir():
            shutil.copytree(existing, staging / relative, symlinks=True, copy_function=_link_or_copy)
    if not _user_module_present(target, user):
        (staging / f"{user.path}.py").write_bytes(user.starter.encode("utf-8"))


def _link_or_copy(source: str | Path, destination: str | Path) -> None:
    if not _linked(Path(source), Path(destination)):
        shutil.copy2(source, destination, follow_symlinks=False)


def _linked(existing: Path, new: Path) -> bool:
    """A hard link keeps an unchanged file as it is (inode, mtime), not rewritten, while the package is still
    swapped in whole; on a file system without hard links the caller writes a copy."""
    try:
        os.link(existing, new, follow_symlinks=False)
    except OSError:
        return False
    return True


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    retired = staging.with_name(staging.name + "-old")
    target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)
        raise
    # Build output moves over only once the new directory is in place: were this interrupted, it would sit in
    # the retired directory, which _remove_leftovers then keeps (build output is not ours to delete).
    for entry in retired.iterdir():
        if _BUILD_OUTPUT.fullmatch(entry.name):
            entry.rename(target / entry.name)
    shutil.rmtree(retired, ignore_errors=True)


def _check_replaceable(target: Path, user: UserModule | None = None) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{_REFUSAL}; remove it or choose another --out", path=str(target))
    entries = _entries(target, user=user)
    if not entries:
        return  # an empty directory (or one holding only the user's module) holds nothing to lose
    listed = _manifest_files(target)
    if listed is None:
        hint = _LEGACY_HINT if _looks_legacy(target) else "remove it or choose another --out"
        raise OutputError(f"{_REFUSAL}; {hint}", path=str(target))
    foreign = sorted(path for path, is_file in entries.items() if not is_file or path not in listed)
    if foreign:
        raise OutputError(
            f"{_REFUSAL}: {foreign[0]!r} is not a file codegen wrote; move it out of the package directory",
            path=str(target),
        )


def _looks_legacy(root: Path) -> bool:
    """Output of a codegen that wrote no manifest: only a hint for the message, never proof of ownership."""
    if os.path.lexists(root / MANIFEST):
        return False
    try:
        with (root / "__init__.py").open("rb") as init:
            return b"generated by codegen" in init.readline(300)
    except OSError:
        return False


def _entries(root: Path, *, build_output: bool = False, user: UserModule | None = None) -> dict[str, bool]:
    """Every file or link below root, relative POSIX path -> is a regular file; bytecode caches left out, build
    output too unless `build_output` is true, and the files of `user`'s module."""
    found: dict[str, bool] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if "__pycache__" in relative.parts or (not build_output and _is_build_output(relative)):
            continue
        if user is not None and user.owns(relative.as_posix()):
            continue
        mode = path.lstat().st_mode
        if not stat.S_ISDIR(mode):
            found[relative.as_posix()] = stat.S_ISREG(mode)
    return found


def _is_build_output(relative: Path) -> bool:
    """Below build output at the top (a package cannot be named `build` or `dist` in a project: spec.py)."""
    return _BUILD_OUTPUT.fullmatch(relative.parts[0]) is not None


def _manifest_files(root: Path) -> set[str] | None:
    """The files the manifest in root lists, or None when root holds no manifest of ours."""
    data = _read_manifest(root)
    if data is None:
        return None
    return {name for name in data["files"] if isinstance(name, str)} | {MANIFEST}


def _read_manifest(root: Path) -> dict[str, Any] | None:
    """The manifest in root, parsed: a regular file of bounded size, JSON, ours, with a files table; else None."""
    path = root / MANIFEST
    try:
        mode = path.lstat().st_mode
        if not stat.S_ISREG(mode) or path.stat().st_size > _MANIFEST_MAX_BYTES:
            return None
        data: Any = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR or not isinstance(data.get("files"), dict):
        return None
    return data


def _remove_leftovers(target: Path, files: set[str]) -> None:
    """Staging directories an interrupted run left beside the target, when their content proves them ours."""
    for candidate in _staging_leftovers(target):
        entries = _entries(candidate, build_output=True)  # a leftover holding build output is kept
        ours = _manifest_files(candidate) or files | {MANIFEST}
        if all(is_file and path in ours for path, is_file in entries.items()):
            shutil.rmtree(candidate)


def _staging_leftovers(target: Path) -> list[Path]:
    """Directories beside target named as this module names its staging and retired directories."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-[0-9a-f]{{12}}(?:-old)?")
    return [
        candidate
        for candidate in (target.parent.iterdir() if target.parent.is_dir() else ())
        if pattern.fullmatch(candidate.name) and not candidate.is_symlink() and candidate.is_dir()
    ]


def layout_change(files: dict[str, str], target: Path) -> str | None:
    """What to tell the user when `files` turn the output codegen wrote at `target` from a package into a
    project (pyproject.toml with the package below it), or back: imports of it change place."""
    listed = _manifest_files(target) if target.is_dir() else None
    if listed is None or ("pyproject.toml" in listed) == ("pyproject.toml" in files):
        return None
    if "pyproject.toml" in files:
        return (
            f"{target} is now a project: the package moved into {target.name}/ inside it; "
            "pip install it, or put the project folder (not its parent) on your path"
        )
    return f"{target} is now the package alone: its pyproject.toml and README.md are gone"


def compare_package(files: dict[str, str], target: Path, user: UserModule | None = None) -> list[Difference]:
    """How the package on disk differs from `files`; empty when identical byte for byte (the manifest's cache
    entry aside, see Cache). The user's module counts only when it is missing (a write would create it)."""
    on_disk = {
        str(p.relative_to(target).as_posix()): p
        for p in (sorted(target.rglob("*")) if target.is_dir() else [])
        if p.is_file() and "__pycache__" not in p.parts and not _is_build_output(p.relative_to(target))
    }
    if user is not None:
        on_disk = {path: p for path, p in on_disk.items() if not user.owns(path)}
    differences = []
    if user is not None and not _user_module_present(target, user):
        differences.append(Difference(f"{user.path}.py", "missing"))
    for relative in sorted(set(files) | set(on_disk)):
        if relative not in on_disk:
            differences.append(Difference(relative, "missing"))
        elif relative not in files:
            differences.append(Difference(relative, "extra"))
        else:
            expected = files[relative].encode("utf-8")
            actual = on_disk[relative].read_bytes()
            if relative == MANIFEST:
                actual = _with_cache_of(expected, actual)
            if expected != actual:
                differences.append(_changed(relative, expected, actual))
    return differences


def _with_cache_of(expected: bytes, actual: bytes) -> bytes:
    """`actual`, a manifest on disk, with the cache entry of `expected` when codegen wrote it in its own layout;
    otherwise `actual` unchanged, so any other edit still shows as a difference."""
    try:
        data = json.loads(actual) if len(actual) <= _MANIFEST_MAX_BYTES else None
    except (ValueError, RecursionError):
        return actual
    if not isinstance(data, dict) or "cache" not in data or _dump(data).encode() != actual:
        return actual
    data["cache"] = json.loads(expected)["cache"]
    return _dump(data).encode()


def _changed(relative: str, expected: bytes, actual: bytes) -> Difference:
    diff = difflib.unified_diff(
        actual.decode("utf-8", errors="replace").splitlines(),
        expected.decode("utf-8", errors="replace").splitlines(),
        n=0,
        lineterm="",
    )
    added = removed = 0
    for line in diff:
        added += line.startswith("+") and not line.startswith("+++")
        removed += line.startswith("-") and not line.startswith("---")
    return Difference(relative, "changed", added, removed)
