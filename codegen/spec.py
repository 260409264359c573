"""The declarative spec (`codegen.toml`): what to generate from which $metadata, and how.

Every key is checked; an unknown or mistyped one is an error naming its line,
because a silently ignored option is worse than a refused one.
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
import tomllib
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .csdl.limits import MAX_DOCUMENT_BYTES
from .errors import SpecError
from .extensions import module_problem
from .naming import BUILTINS, RESERVED_ATTRIBUTES
from .selectors import Pattern, patterns

AUTH_SCHEMES = ("avala-api", "bearer", "none")

# Top-level modules a generated package must not be named after: it would shadow them for every import in the
# application (the runtime `codegen`, what it and generated code import, and the standard library).
_SHADOWED_MODULES = frozenset(
    {"codegen", "attrs", "attr", "httpx", "httpcore", "h11", "anyio", "sniffio", "idna", "certifi"}
) | frozenset(sys.stdlib_module_names)
_PACKAGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names the spec gives classes, attributes and the client: ASCII only, because Python NFKC-normalises identifiers
# in source (`ｓｅｌｆ` is `self`, `ﬁ` is `fi`) while __all__ and the checks here see the raw string, so a
# non-ASCII name could slip past every reserved-name and collision check.
_ASCII_IDENTIFIER = _PACKAGE_NAME
# Names every generated module binds itself (imports as `_t`, `_rt`, ..., and `annotations` from __future__);
# a class renamed to one of them, or to a builtin its annotations use, would shadow it.
_MODULE_NAMES = frozenset({"annotations"})

_QUOTED = re.compile(r'"([^"\\]*)"|\'([^\']*)\'')  # TOML basic and literal strings without escapes
_DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?")
_TAKEN_DISTRIBUTIONS = frozenset({"odata-codegen", "odata-codegen-runtime"})
# Folders setuptools and pip write into a project: a package of that name would be mistaken for, or mixed with, them.
_BUILD_DIRECTORIES = frozenset({"build", "dist"})

# section -> key -> (expected type, required)
_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    "metadata": {"source": (str, True), "references": (dict, False)},
    "output": {"directory": (str, True), "package": (str, True), "project": (bool, False)},
    "project": {"name": (str, False), "version": (str, False), "description": (str, False)},
    "service": {
        "name": (str, True),
        "path": (str, True),
        "auth": (str, False),
        "login_path": (str, False),
        "base_url": (str, False),
    },
    "client": {"entity_sets": ((list, str), False)},
    "naming": {"renames": (dict, False)},
    "select": {"include": (list, False), "exclude": (list, False)},
    # Customisation that survives regeneration (docs/templates.md, codegen/extensions.py).
    "templates": {"directory": (str, False)},
    "extensions": {"module": (str, False)},
}


@attrs.frozen
class SpecKey:
    """What one spec key means, for `--help` and the file `init` writes (codegen/spec_doc.py renders both)."""

    help: str  # one line
    default: str | None  # as TOML, or in words between <>; None: the key is required
    example: str  # a valid TOML value, shown when `init` writes the key commented out


# One entry per key of _SCHEMA, in the order `init` writes them (tests/test_init.py checks both name the same keys).
SPEC_KEYS: dict[tuple[str, str], SpecKey] = {
    ("metadata", "source"): SpecKey(
        "the $metadata document (CSDL XML or JSON), relative to this file", None, '"metadata.xml"'
    ),
    ("metadata", "references"): SpecKey(
        "edmx:Reference Uri -> local file, for references other than the bundled OASIS vocabularies",
        "{}",
        '{ "https://example.com/Vocabulary.xml" = "vocabulary.xml" }',
    ),
    ("output", "directory"): SpecKey(
        "the directory that holds the generated project, relative to this file", None, '"../../generated"'
    ),
    ("output", "package"): SpecKey(
        "the Python package name (and the project's folder in directory)", None, '"myservice"'
    ),
    ("output", "project"): SpecKey(
        "true: a project (pyproject.toml, README.md, the package in it); false: the package alone", "true", "false"
    ),
    ("project", "name"): SpecKey("the distribution name pip installs", "<the package name, _ as ->", '"my-service"'),
    ("project", "version"): SpecKey(
        "the PEP 440 version; set one to publish, or for pip install -U",
        "<0.0.0+schema.(12 hex digits of the metadata's sha256)>",
        '"1.0.0"',
    ),
    ("project", "description"): SpecKey(
        "the distribution's one-line summary",
        "<Typed Python client for the (name) OData service (odata-codegen).>",
        '"Typed Python client for My Service"',
    ),
    ("service", "name"): SpecKey(
        "client classes are named after it: (name)Client, Async(name)Client", None, '"MyService"'
    ),
    ("service", "base_url"): SpecKey(
        "the instance root `codegen fetch` downloads $metadata from (no credentials: they come from the environment)",
        "<none: fetch needs --url>",
        '"https://acme.aimbase.com"',
    ),
    ("service", "path"): SpecKey("the service root below the base URL", None, '"/odata/V2"'),
    ("service", "auth"): SpecKey(
        '"avala-api" (Aimbase: username= with password= or token=), "bearer" (token=) or "none"',
        '"none"',
        '"avala-api"',
    ),
    ("service", "login_path"): SpecKey(
        'where "avala-api" logs in, below the base URL', '"/api/Security/Login"', '"/api/Security/Login"'
    ),
    ("client", "entity_sets"): SpecKey(
        'the entity sets that get client accessors: "*" for all, or a list of names', '"*"', '["Leads", "Dealers"]'
    ),
    ("naming", "renames"): SpecKey(
        'Python names for types ("NS.Type") and properties ("NS.Type/Property"); the wire name is kept',
        "{}",
        '{ "NS.Type/Property" = "python_name" }',
    ),
    ("select", "include"): SpecKey(
        "generate only these and what they need: globs of sets, singletons, imports, types, operations",
        "<everything>",
        '["Leads", "type:NS.*"]',
    ),
    ("select", "exclude"): SpecKey(
        "leave these out (globs as in include; exclude wins)", "<nothing>", '["operation:*"]'
    ),
    ("templates", "directory"): SpecKey(
        "your templates, each replacing the built-in one of its file name (docs/templates.md)",
        "<none: the built-ins>",
        '"templates"',
    ),
    ("extensions", "module"): SpecKey(
        "your module in the package, imported last and never overwritten (a starter is written when absent)",
        "<none>",
        '"custom"',
    ),
}


@attrs.frozen
class Spec:
    """A validated spec; paths are absolute."""

    metadata: Path
    output_dir: Path
    package: str
    service_name: str = "Service"
    service_path: str = "/"
    auth: str = "none"
    login_path: str | None = None
    base_url: str | None = None  # the instance root `codegen fetch` downloads $metadata from
    entity_sets: tuple[str, ...] | None = None  # None: every entity set
    renames: dict[str, str] = attrs.field(factory=dict)
    source: Path | None = None  # the spec file, when there is one
    # A project (pyproject.toml, README.md and the package in it), or with False the package directory alone.
    project: bool = True
    distribution: str | None = None  # None: the package name, `_` as `-`
    version: str | None = None  # None: derived from the schema's hash
    description: str | None = None
    references: dict[str, Path] = attrs.field(factory=dict)  # [metadata] references: edmx:Reference Uri -> file
    # [select]: what to generate (codegen/selectors.py, codegen/plan_select.py); both empty: the whole document.
    include: tuple[Pattern, ...] = ()
    exclude: tuple[Pattern, ...] = ()
    templates: Path | None = None  # [templates] directory: user templates replacing built-ins of the same name
    extension_module: str | None = None  # [extensions] module: the user's module the package imports

    @property
    def target_dir(self) -> Path:
        """The directory codegen writes, and owns: the project, or the package alone."""
        return self.output_dir / self.package

    @property
    def package_dir(self) -> Path:
        return self.target_dir / self.package if self.project else self.target_dir


def load_spec(path: Path) -> Spec:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read spec: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        message = f"spec is not UTF-8 text (byte 0x{exc.object[exc.start]:02x})"
        raise SpecError(message, path=str(path), line=line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        raise SpecError(
            f"invalid TOML: {str(exc).split(' (at line')[0]}",
            path=str(path),
            line=int(match.group(1)) if match else None,
        ) from None
    _check_keys(data, text, path)
    base = path.parent
    metadata, output, service, project = data["metadata"], data["output"], data["service"], data.get("project", {})
    entity_sets = data.get("client", {}).get("entity_sets", "*")
    if isinstance(entity_sets, str) and entity_sets != "*":
        raise SpecError(
            '[client] entity_sets must be "*" or a list of names', path=str(path), line=_line(text, "entity_sets")
        )
    spec = Spec(
        metadata=(base / metadata["source"]).resolve(),
        output_dir=(base / output["directory"]).resolve(),
        package=output["package"],
        service_name=service["name"],
        service_path=service["path"],
        auth=service.get("auth", "none"),
        login_path=service.get("login_path"),
        base_url=service.get("base_url"),
        entity_sets=None if entity_sets == "*" else tuple(entity_sets),
        renames=data.get("naming", {}).get("renames", {}),
        source=path,
        project=output.get("project", True),
        distribution=project.get("name"),
        version=project.get("version"),
        description=project.get("description"),
        references=_references(metadata.get("references", {}), base, text, path),
        include=_select_patterns(data, text, path, "include"),
        exclude=_select_patterns(data, text, path, "exclude"),
        templates=_templates_directory(data, base, text, path),
        extension_module=_extension_module(data, text, path),
    )
    _check_values(spec, text, path)
    return spec


def _templates_directory(data: dict[str, Any], base: Path, text: str, path: Path) -> Path | None:
    # An empty section (as `codegen init` writes it, its key commented out) is no section.
    if "directory" not in data.get("templates", {}):
        return None
    line = _line(text, "directory", "templates") or _line(text, "templates")
    directory = (base / str(data["templates"]["directory"])).resolve()
    if not directory.is_dir():
        raise SpecError(f"[templates] directory: no directory {directory}", path=str(path), line=line)
    return directory


def _extension_module(data: dict[str, Any], text: str, path: Path) -> str | None:
    name = data.get("extensions", {}).get("module")
    if name is None:  # no section, or an empty one
        return None
    line = _line(text, "module", "extensions") or _line(text, "extensions")
    problem = module_problem(name)
    if problem:
        raise SpecError(f"[extensions] module {name[:80]!r} {problem}", path=str(path), line=line)
    return str(name)


def spec_from_arguments(
    metadata: Path,
    package: str,
    output_dir: Path,
    service_path: str = "/",
    *,
    project: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    service_name: str = "Service",
    auth: str = "none",
    login_path: str | None = None,
) -> Spec:
    """A spec for `generate --metadata ... --package ... --out ...` (and `init`), without a spec file."""
    spec = Spec(
        metadata=metadata.resolve(),
        output_dir=output_dir.resolve(),
        package=package,
        service_name=service_name,
        service_path=service_path,
        auth=auth,
        login_path=login_path,
        project=project,
        include=patterns(include, "--include", path=None, line_of={}),
        exclude=patterns(exclude, "--exclude", path=None, line_of={}),
    )
    _check_values(spec, "", None)
    return spec


def _references(table: dict[str, Any], base: Path, text: str, path: Path) -> dict[str, Path]:
    """edmx:Reference Uri -> an existing local file, no larger than a $metadata document may be."""
    found: dict[str, Path] = {}
    line = _line(text, "references", "metadata")
    for uri, file in table.items():
        shown = repr(uri[:80])
        if not uri or len(uri) > 2048 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in uri):
            problem = "must be a Uri of at most 2048 characters without control characters"
            raise SpecError(f"[metadata] references key {shown} {problem}", path=str(path), line=line)
        if not isinstance(file, str):
            raise SpecError(f"[metadata] references {shown} must name a file", path=str(path), line=line)
        resolved = (base / file).resolve()
        if not resolved.is_file():
            raise SpecError(f"[metadata] references {shown}: no file {resolved}", path=str(path), line=line)
        if resolved.stat().st_size > MAX_DOCUMENT_BYTES:
            problem = f"is larger than the limit of {MAX_DOCUMENT_BYTES} bytes (MAX_DOCUMENT_BYTES)"
            raise SpecError(f"[metadata] references {shown}: {resolved} {problem}", path=str(path), line=line)
        found[uri] = resolved
    return found


def _select_patterns(data: dict[str, Any], text: str, path: Path, key: str) -> tuple[Pattern, ...]:
    values = data.get("select", {}).get(key)
    if values is None:
        return ()
    key_line = _line(text, key, "select")
    if not values:
        raise SpecError(f"[select] {key} is empty; leave it out to keep everything", path=str(path), line=key_line)
    # Each quoted string after the key -> its first line, in one pass, so an error names the pattern's own line.
    line_of: dict[str, int] = {"": key_line} if key_line is not None else {}
    first = (key_line or 1) - 1
    for number, line in enumerate(text.splitlines()[first:], start=first + 1):
        for match in _QUOTED.finditer(line):
            line_of.setdefault(match.group(1) if match.group(1) is not None else match.group(2), number)
    return patterns(values, f"[select] {key}", path=str(path), line_of=line_of)


def _check_keys(data: dict[str, Any], text: str, path: Path) -> None:
    for section, body in data.items():
        known = _SCHEMA.get(section)
        if known is None:
            raise SpecError(
                f"unknown section [{section}]{_suggestion(section)}; expected one of {', '.join(_SCHEMA)}",
                path=str(path),
                line=_line(text, section),
            )
        if not isinstance(body, dict):
            raise SpecError(f"{section} must be a [{section}] table", path=str(path), line=_line(text, section))
        for key, value in body.items():
            if key not in known:
                raise SpecError(
                    f"unknown key {key!r} in [{section}]{_suggestion(key, section)}; expected one of {', '.join(known)}",
                    path=str(path),
                    line=_line(text, key, section),
                )
            expected = known[key][0]
            if not isinstance(value, expected):
                names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
                raise SpecError(f"[{section}] {key} must be a {names}", path=str(path), line=_line(text, key, section))
        for key, (_, required) in known.items():
            if required and key not in body:
                raise SpecError(
                    f"[{section}] is missing required key {key!r}", path=str(path), line=_line(text, section)
                )
    for section, keys in _SCHEMA.items():
        if section not in data and any(required for _, required in keys.values()):
            raise SpecError(f"missing required section [{section}]", path=str(path))


def _suggestion(name: str, section: str | None = None) -> str:
    """` (did you mean 'auth'?)` for a misspelt key (a section, when `section` is None), or the key's own section."""
    if section is None:
        close = difflib.get_close_matches(name, _SCHEMA, n=1)
        return f" (did you mean [{close[0]}]?)" if close else ""
    close = difflib.get_close_matches(name, _SCHEMA[section], n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    home = [other for other, keys in _SCHEMA.items() if name in keys]
    return f" (it belongs in [{home[0]}])" if home else ""


def _check_values(spec: Spec, text: str, path: Path | None) -> None:
    where = str(path) if path else None

    def fail(message: str, key: str) -> None:
        raise SpecError(message, path=where, line=_line(text, key) if path else None)

    def rename_line(target: str) -> int | None:
        return (_line(text, target) or _line(text, "renames")) if path else None

    package_problem = _package_problem(spec.package)
    if package_problem is None and spec.project and spec.package in _BUILD_DIRECTORIES:
        package_problem = "is where building the project writes its output; choose another name"
    if package_problem:
        fail(f"package name {spec.package!r} {package_problem}", "package")
    if spec.project and spec.distribution is None and _distribution_problem(default_distribution(spec.package)):
        fail(f"package name {spec.package!r} gives no distribution name; set [project] name", "package")
    path_problem = _url_path_problem(spec.service_path)
    if path_problem:
        fail(f"service path {spec.service_path!r} {path_problem}", "path")
    if spec.login_path is not None:
        login_problem = _url_path_problem(spec.login_path)
        if login_problem:
            fail(f"login path {spec.login_path!r} {login_problem}", "login_path")
    if spec.base_url is not None:
        url_problem = base_url_problem(spec.base_url)
        if url_problem:
            fail(f"base_url {shown_url(spec.base_url)!r} {url_problem}", "base_url")
    for key, value, check in (
        ("name", spec.distribution, _distribution_problem),
        ("version", spec.version, _version_problem),
        ("description", spec.description, _description_problem),
    ):
        problem = None if value is None else check(value)
        if problem:
            shown = (value or "")[:80]
            raise SpecError(f"[project] {key} {shown!r} {problem}", path=where, line=_line(text, key, "project"))
    if spec.auth not in AUTH_SCHEMES:
        fail(f"auth {spec.auth!r} is not one of {', '.join(AUTH_SCHEMES)}", "auth")
    name_problem = _identifier_problem(spec.service_name)
    if name_problem:
        fail(f"service name {spec.service_name!r} is {name_problem}", "name")
    if spec.entity_sets is not None and not all(isinstance(name, str) for name in spec.entity_sets):
        fail('[client] entity_sets must be "*" or a list of entity set names', "entity_sets")
    for target, name in spec.renames.items():
        problem = _identifier_problem(name) if isinstance(name, str) else "not a valid Python identifier"
        if problem:
            raise SpecError(f"rename of {target!r} to {name!r}: {problem}", path=where, line=rename_line(target))
        # A leading `_` would collide with the runtime's private attributes, such as `_odata_present`.
        if "/" in target and (name.startswith("_") or name in RESERVED_ATTRIBUTES):
            reserved = "that attribute name is reserved by the generated classes"
            raise SpecError(f"rename of {target!r} to {name!r}: {reserved}", path=where, line=rename_line(target))
        # A type named `_t`, `_rt`, ... would shadow the modules generated code imports under those names, and
        # one named after a builtin (`int`, `list`) the builtin that annotations mean.
        if name.startswith("_") or name in BUILTINS or name in _MODULE_NAMES:
            reserved = "that name is reserved in generated modules"
            raise SpecError(f"rename of {target!r} to {name!r}: {reserved}", path=where, line=rename_line(target))


def _identifier_problem(name: str) -> str | None:
    if not name.isidentifier() or keyword.iskeyword(name):
        return "not a valid Python identifier"
    if not _ASCII_IDENTIFIER.fullmatch(name):
        return "not ASCII; Python would read it as another name (NFKC), so use only A-Z, a-z, 0-9 and _"
    return None


def _package_problem(name: str) -> str | None:
    if not _PACKAGE_NAME.fullmatch(name) or keyword.iskeyword(name):
        return "is not a valid Python identifier"
    if name in _SHADOWED_MODULES:
        return "would shadow the module of that name (the codegen runtime, its dependencies or the standard library)"
    return None


def default_distribution(package: str) -> str:
    """The distribution name when the spec sets none: the package's, `_` as `-`, none at the ends."""
    return package.replace("_", "-").strip("-")


def _distribution_problem(name: str) -> str | None:
    # PEP 508 names; pip folds case, `-`, `_` and `.`, so the runtime's own name is refused in any spelling.
    if not _DISTRIBUTION_NAME.fullmatch(name):
        return "is not a distribution name (letters, digits, and . _ - between them)"
    if canonicalize_name(name) in _TAKEN_DISTRIBUTIONS:
        return "is the name of the codegen runtime or generator"
    return None


def _version_problem(version: str) -> str | None:
    if version != version.strip():
        return "has spaces around it"
    try:
        Version(version)
    except InvalidVersion:
        return "is not a PEP 440 version (such as 1.4.0)"
    return None if len(version) <= 64 else "is longer than 64 characters"


def _description_problem(description: str) -> str | None:
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in description):
        return "must be one line without control characters"
    return None if len(description) <= 512 else "is longer than 512 characters"


def _url_path_problem(path: str) -> str | None:
    """Why `path` is not an absolute URL path on the service's own origin, or None.

    Credentials are sent to these paths, so nothing in them may change the host (`//evil`, `http://evil`),
    climb out of the service (`..`), or smuggle a query, fragment or header (`?`, `#`, `\\`, control characters).
    """
    if not path.startswith("/") or path.startswith("//"):
        return "must start with '/'" if not path.startswith("/") else "must start with a single '/', not '//'"
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in path):
        return "must not contain backslashes or control characters"
    if "?" in path or "#" in path:
        return "must not contain '?' or '#'"
    parts = urllib.parse.urlsplit(path)
    if parts.scheme or parts.netloc:
        return "must be a path, without a scheme or host"
    segments = urllib.parse.unquote(path).split("/")
    if any(segment in (".", "..") for segment in segments):
        return "must not contain '.' or '..' segments"
    return None


def base_url_problem(url: str) -> str | None:
    """Why `url` is not a service's instance root, or None: an http(s) URL with a host and nothing else.

    Credentials are sent there, so none may be written into it (a spec is committed), and nothing after the
    path (`?`, `#`) may change what the service path and `$metadata` are joined to.
    """
    if len(url) > 2048 or any(ord(c) <= 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        return "must be at most 2048 characters, without spaces, backslashes or control characters"
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// URL with a host"
    if "@" in parts.netloc:
        return "must not hold a username or password; give credentials through the environment"
    if "?" in url or "#" in url:
        return "must not have a query or fragment"
    return None


def shown_url(url: str) -> str:
    """`url` cut for a message, a password written into it blanked out (`https://***@host`)."""
    return re.sub(r"//[^/?#]*@", "//***@", url)[:80]


def _line(text: str, key: str, section: str | None = None) -> int | None:
    """The line where `key` (or the `[key]` header) is written, for error messages."""
    lines = text.splitlines()
    start = 0
    if section is not None:
        header = _line(text, section)
        start = header or 0
    pattern = re.compile(rf'^\s*(\[\s*{re.escape(key)}\s*\]|"?{re.escape(key)}"?\s*=)')
    for number, line in enumerate(lines[start:], start=start + 1):
        if pattern.match(line):
            return number
    return None
