"""`codegen init`: a spec directory (codegen.toml and a copy of the $metadata) for a new service, and its package.

Nothing is half-written: the spec directory is built under a temporary name beside its place, the package is
generated from it (which validates every input and refuses an output directory codegen does not own), and only
then is the directory renamed into place. An existing spec directory is replaced only with `force`, and only
when it holds nothing but what `init` writes, so a file someone added there is named instead of deleted.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from . import generate
from .csdl.json_load import looks_like_json
from .csdl.limits import MAX_DOCUMENT_BYTES
from .csdl.model import MetadataWarning
from .errors import CodegenError, MetadataError, OutputError
from .naming import pascal_case
from .render import toml_string
from .spec import Spec, base_url_problem, load_spec, shown_url, spec_from_arguments
from .spec_doc import commented_spec

SPEC_FILE = "codegen.toml"
Prompt = Callable[[str, bool], str]  # as codegen.fetch.Prompt, which is not imported unless a download is asked for
_METADATA_FILES = ("metadata.xml", "metadata.json")  # the copy is named after its content, as the parser tells it


@attrs.frozen
class Request:
    """What `codegen init` was asked for; paths as given (relative to the working directory)."""

    name: str
    metadata: Path | None = None  # exactly one of metadata and url
    url: str | None = None  # the instance root (`[service] base_url`) whose $metadata is fetched
    specs: Path = Path("specs")
    output: Path = Path("generated")
    service_name: str | None = None  # None: NAME in PascalCase
    service_path: str = "/"
    auth: str = "none"
    login_path: str | None = None
    force: bool = False


@attrs.frozen
class Scaffolded:
    spec_file: Path
    metadata: Path
    project: Path  # the generated project (or package) directory
    result: generate.Generated
    warnings: tuple[MetadataWarning, ...]  # naming the metadata copy in its final place


def scaffold(request: Request, *, prompt: Prompt | None = None, environ: Mapping[str, str] = os.environ) -> Scaffolded:
    """Write the spec directory and generate its package; with `request.url` the document is downloaded first
    (credentials from `environ` or `prompt`, as `codegen fetch` takes them)."""
    if (request.metadata is None) == (request.url is None):
        raise CodegenError("give either --metadata FILE or --url URL")
    request = _with_service_root(request)
    service_name = request.service_name or pascal_case(request.name)
    # Every value is checked as load_spec would check it, before anything is read or written.
    spec = spec_from_arguments(
        request.metadata or Path(_METADATA_FILES[0]),
        request.name,
        request.output,
        request.service_path,
        service_name=service_name,
        auth=request.auth,
        login_path=request.login_path,
    )
    target = request.specs / request.name
    placed, spec_dir = (request.output / request.name).resolve(), target.resolve()
    if placed == spec_dir or placed.is_relative_to(spec_dir) or spec_dir.is_relative_to(placed):
        raise OutputError("--output would put the project in the spec directory, or around it", path=str(target))
    _check_target(target, request.force)
    given, source = _source(request, spec, prompt, environ)
    created = [] if request.specs.exists() else [request.specs]  # removed again if init fails
    staging = _staging_dir(target)
    try:
        metadata_name = _stage_metadata(staging, source)
        _write(staging / SPEC_FILE, _spec_text(request, service_name, metadata_name, target).encode())
        project, result = _generate(staging / SPEC_FILE, staging / metadata_name, given)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in created:
            _remove_if_empty(folder)
        raise
    _move_into_place(staging, target)
    final = target / metadata_name
    warnings = tuple(attrs.evolve(w, path=str(final)) for w in result.document.warnings)
    return Scaffolded(target / SPEC_FILE, final, project, result, warnings)


def _source(request: Request, spec: Spec, prompt: Prompt | None, environ: Mapping[str, str]) -> tuple[str, bytes]:
    """Where the document comes from, as errors name it, and its bytes: the file, else the download."""
    if request.metadata is not None:
        return str(request.metadata), _read_metadata(request.metadata)
    from . import fetch  # httpx and the runtime: loaded only when downloading

    source, url = fetch.download(spec, str(request.url), environ=environ, prompt=prompt)
    return url, source


def _with_service_root(request: Request) -> Request:
    """A `--url` ending in `/$metadata` (the address users copy) split into the instance root and the service
    path, so the spec's `base_url` and `path` join back to it."""
    url = request.url
    if url is None:
        return request
    problem = base_url_problem(url)
    if problem:
        raise CodegenError(f"--url {shown_url(url)!r} {problem}")
    if not url.endswith("/$metadata"):
        return request
    parts = urllib.parse.urlsplit(url)
    path = parts.path.removesuffix("$metadata").rstrip("/") or "/"
    if request.service_path not in ("/", path):
        raise CodegenError(f"--url names the service path {path!r}, --service-path {request.service_path!r}")
    origin = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return attrs.evolve(request, url=origin, service_path=path)


def _check_target(target: Path, force: bool) -> None:
    if not target.exists() and not target.is_symlink():
        return
    if not force:
        raise OutputError("the spec directory exists; choose another NAME, or --force to replace it", path=str(target))
    if target.is_symlink() or not target.is_dir():
        raise OutputError("is not a directory; --force replaces only a spec directory", path=str(target))
    extra = sorted(p.name for p in target.iterdir() if p.name not in (SPEC_FILE, *_METADATA_FILES) or p.is_dir())
    if extra:
        shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
        raise OutputError(f"holds files init did not write ({shown}); --force would delete them", path=str(target))


def _read_metadata(path: Path) -> bytes:
    """The document's bytes, read once and no more than the parser would take (it parses this very copy)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise MetadataError(f"cannot read the metadata: {exc.strerror or exc}", path=str(path)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MetadataError(f"is larger than the limit of {MAX_DOCUMENT_BYTES} bytes", path=str(path))
    return data


def _stage_metadata(staging: Path, source: bytes) -> str:
    """Write the copy, named by the parser's own rule for telling JSON from XML, so its name matches its reading."""
    staged = staging / "metadata"
    _write(staged, source)
    name = _METADATA_FILES[1] if looks_like_json(staged) else _METADATA_FILES[0]
    staged.rename(staging / name)
    return name


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"cannot write the spec directory: {exc.strerror or exc}", path=str(path)) from None


def _spec_text(request: Request, service_name: str, metadata_name: str, target: Path) -> str:
    output = Path(os.path.relpath(request.output.resolve(), target.resolve()))
    values = {
        ("metadata", "source"): toml_string(metadata_name),
        ("output", "directory"): toml_string(output.as_posix()),
        ("output", "package"): toml_string(request.name),
        ("service", "name"): toml_string(service_name),
        ("service", "path"): toml_string(request.service_path),
        ("service", "auth"): toml_string(request.auth),
    }
    if request.url is not None:
        values[("service", "base_url")] = toml_string(request.url)
    if request.login_path is not None:
        values[("service", "login_path")] = toml_string(request.login_path)
    # A comment may hold no control character (TOML), and the path is the user's: shown only when printable.
    spec_file = (target / SPEC_FILE).as_posix() if str(target).isprintable() else f"this {SPEC_FILE}"
    heading = (
        f"Spec of the {service_name} OData service, written by `codegen init`; every key is listed, those\n"
        f"commented out show an example and say their default.\n"
        f"Regenerate with: python -m codegen generate {spec_file}"
    )
    return commented_spec(values, heading)


def _staging_dir(target: Path) -> Path:
    # Beside the target, so the rename stays on one file system and relative paths in the spec mean the same.
    # Not tempfile.mkdtemp: its 0700 mode would become the spec directory's; mkdir honours the umask.
    staging = target.parent / f".{target.name}-{secrets.token_hex(6)}"
    try:
        staging.mkdir(parents=True)
    except OSError as exc:
        raise OutputError(f"cannot create the spec directory: {exc.strerror or exc}", path=str(target)) from None
    return staging


def _generate(spec_file: Path, staged: Path, given: str) -> tuple[Path, generate.Generated]:
    """The project directory and what was written there from the staged spec; an error about the staged
    metadata copy names the file the user gave, since the copy is gone when the error is read."""
    try:
        spec = load_spec(spec_file)
        return spec.target_dir, generate.write(spec)
    except CodegenError as exc:
        if exc.path is not None and Path(exc.path).resolve() == staged.resolve():
            raise type(exc)(exc.message, path=given, line=exc.line) from None
        raise


def _move_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        _rename(staging, target)
        return
    # --force: the old directory steps aside first, and comes back if the new one cannot take its place.
    old = target.parent / f".{target.name}-old-{secrets.token_hex(6)}"
    _rename(target, old)
    try:
        _rename(staging, target)
    except OutputError:
        _rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: something else put a file there meanwhile, which is not ours to remove


def _rename(source: Path, target: Path) -> None:
    try:
        source.rename(target)
    except OSError as exc:
        # Only a race gets here (the target was checked a moment ago), after the package was written: the staged
        # spec is kept, and named, rather than lost.
        problem = f"cannot move {source} into place ({exc.strerror or exc}); the package was written from it"
        raise OutputError(problem, path=str(target)) from None


def next_steps(done: Scaffolded) -> str:
    """What to run next: install the project, try it on the sandbox, use it."""
    plan = done.result.plan
    spec_file, project = shlex.quote(_shown(done.spec_file)), shlex.quote(_shown(done.project))  # to paste
    client = plan.service.client_name
    sets = plan.service.entity_sets
    login = ', username="demo", password="demo"' if plan.service.auth == "avala-api" else ""
    query = f"        print(client.{sets[0].accessor}.query().top(3).list())" if sets else "        print(client)"
    return "\n".join(
        [
            "next steps:",
            f"  1. install the project into your venv:  python -m pip install -e {project}",
            f"  2. serve it locally (prints its URL):   python -m codegen sandbox {spec_file}",
            "  3. use it:",
            f"    from {plan.name} import {client}",
            f'    with {client}("http://127.0.0.1:PORT"{login}) as client:',
            query,
            f"  (regenerate after editing {spec_file}: python -m codegen generate {spec_file})",
        ]
    )


def _shown(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return str(path)
