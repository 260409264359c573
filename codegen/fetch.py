"""`codegen fetch SPEC`: download the service's `$metadata`, prove it is OData V4 CSDL, then replace the spec's file.

The request goes through the runtime's `Session`, so it gets what every generated client gets: the spec's auth
scheme (an Avala-Api login, a bearer token, or none), redirects followed only on the service's own origin, a
body refused past a size limit however it is encoded, a deadline, and secrets scrubbed out of every error.

Credentials never come from the spec (it is committed): they are read from the environment (`ENV_USERNAME`,
`ENV_PASSWORD`, `ENV_TOKEN`) or asked for on the terminal. Nothing is written until the answer has been parsed
by the same parser `generate` uses, and then only by renaming a complete file over the old one, so an
interrupted or refused fetch leaves the old document byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import ipaddress
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import attrs
import httpx

from .csdl import parse_metadata
from .csdl.limits import MAX_DOCUMENT_BYTES
from .diff import Surface, compare, render, surface_of_spec
from .errors import CodegenError, MetadataError, OutputError, SpecError, shown_path
from .runtime.http.client import resolve_auth
from .runtime.http.errors import AuthenticationError, ODataError, ResponseTooLargeError, Scrubber
from .runtime.http.retry import RetryPolicy
from .runtime.http.session import Session
from .spec import Spec, base_url_problem, shown_url

__all__ = [
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USERNAME",
    "EXIT_UNREACHABLE",
    "FetchError",
    "Fetched",
    "download",
    "fetch",
]

ENV_USERNAME = "CODEGEN_USERNAME"
ENV_PASSWORD = "CODEGEN_PASSWORD"
ENV_TOKEN = "CODEGEN_TOKEN"
EXIT_UNREACHABLE = 4
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# The whole download, login included: a large document on a slow link, not a server dripping bytes forever.
DEADLINE = 300.0
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# Asks the user for one value: (label, secret) -> the answer. None: not interactive.
Prompt = Callable[[str, bool], str]


class FetchError(CodegenError):
    """The service could not be reached, refused the credentials, or answered with an error status."""

    exit_code = EXIT_UNREACHABLE


@attrs.frozen
class Fetched:
    """A completed fetch: where the document went, and what the user is told about it."""

    path: Path
    url: str
    changed: bool
    report: str


@attrs.frozen
class _Credentials:
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    token: str | None = attrs.field(default=None, repr=False)

    def secrets(self) -> list[str]:
        found = [value for value in (self.password, self.token) if value]
        if self.token and ":" in self.token:
            found.append(self.token.rpartition(":")[2])  # the GUID of a `username:GUID` pair, on its own
        return found


def fetch(
    spec: Spec,
    url: str | None = None,
    *,
    environ: Mapping[str, str] = os.environ,
    prompt: Prompt | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout = TIMEOUT,
    deadline: float = DEADLINE,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Fetched:
    """Download `spec`'s `$metadata` from `url` (else the spec's `[service] base_url`) and replace its file.

    Raises `FetchError` (exit 4) when the service cannot be reached or refuses, `MetadataError` (exit 2) when
    its answer is not an OData V4 CSDL XML document, other `CodegenError`s for bad input; nothing is written then.
    """
    base_url = _base_url(spec, url)
    with _scrubbed(spec.auth, environ, prompt) as credentials:
        content, source = _fetch_checked(spec, base_url, credentials, transport, timeout, deadline, max_bytes)
        old = _read_old(spec.metadata)
        before = _surface(spec) if old is not None and old != content else None
        changed = _replace_checked(spec, content, old, source)
    return Fetched(spec.metadata, source, changed, _report_changes(old, content, spec, before))


def download(
    spec: Spec,
    base_url: str,
    *,
    environ: Mapping[str, str] = os.environ,
    prompt: Prompt | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout = TIMEOUT,
    deadline: float = DEADLINE,
) -> tuple[bytes, str]:
    """The `$metadata` bytes below `base_url` (an instance root, as `[service] base_url`) and the URL they came
    from, fetched as `fetch` does but not written anywhere (`codegen init --url`); the bytes look like XML, and
    the caller parses them. Raises as `fetch` does."""
    problem = base_url_problem(base_url)
    if problem:
        raise CodegenError(f"--url {shown_url(base_url)!r} {problem}")
    with _scrubbed(spec.auth, environ, prompt) as credentials:
        return _fetch_checked(spec, base_url, credentials, transport, timeout, deadline, MAX_DOCUMENT_BYTES)


@contextlib.contextmanager
def _scrubbed(scheme: str, environ: Mapping[str, str], prompt: Prompt | None) -> Iterator[_Credentials]:
    """The credentials `scheme` needs; any `CodegenError` raised while they are in use has them blanked out."""
    credentials = _credentials(scheme, environ, prompt)
    scrub = Scrubber(credentials.secrets())
    try:
        yield credentials
    except CodegenError as error:
        # The session scrubs what servers say; this is the backstop for everything else in the message.
        error.message = scrub(error.message) or ""
        raise


def _fetch_checked(
    spec: Spec,
    base_url: str,
    credentials: _Credentials,
    transport: httpx.BaseTransport | None,
    timeout: httpx.Timeout,
    deadline: float,
    max_bytes: int,
) -> tuple[bytes, str]:
    response = _download(spec, base_url, credentials, transport, timeout, deadline, max_bytes)
    source = str(response.request.url)
    _check_answer(response, source)
    return response.content, source


def terminal_prompt(label: str, secret: bool) -> str:
    """Asks on the terminal (a secret is not echoed); the prompt goes to stderr, leaving stdout to the report."""
    if secret:
        return getpass.getpass(f"{label}: ")
    print(f"{label}: ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().rstrip("\r\n")


def _base_url(spec: Spec, url: str | None) -> str:
    if url is None:
        if spec.base_url is None:
            raise SpecError("no service URL: set [service] base_url in the spec, or pass --url", path=_where(spec))
        return spec.base_url
    problem = base_url_problem(url)
    if problem:
        raise CodegenError(f"--url {shown_url(url)!r} {problem}")
    return url


def _where(spec: Spec) -> str | None:
    return str(spec.source) if spec.source else None


def _credentials(scheme: str, environ: Mapping[str, str], prompt: Prompt | None) -> _Credentials:
    """The credentials `scheme` needs, from the environment, else asked for; an empty variable counts as unset."""
    if scheme == "none":
        return _Credentials()
    token = environ.get(ENV_TOKEN) or None
    if scheme == "bearer":
        return _Credentials(token=token or _ask(prompt, "Bearer token", True, ENV_TOKEN))
    username = environ.get(ENV_USERNAME) or None
    if username is None and token is not None and ":" in token:
        username = token.rpartition(":")[0]  # the login's answer is the `username:GUID` pair
    needed = f"{ENV_USERNAME} and {ENV_PASSWORD} (or {ENV_TOKEN})"
    username = username or _ask(prompt, "Username", False, needed)
    if token is not None:
        return _Credentials(username=username, token=token)
    password = environ.get(ENV_PASSWORD) or _ask(prompt, f"Password for {username}", True, needed)
    return _Credentials(username=username, password=password)


def _ask(prompt: Prompt | None, label: str, secret: bool, variables: str) -> str:
    if prompt is None:
        raise CodegenError(f"no credentials: set {variables} in the environment, or run in a terminal to be asked")
    try:
        answer = prompt(label, secret)
    except EOFError:
        answer = ""
    if not answer:
        raise CodegenError(f"no {label.split(' for ')[0].lower()} given")
    return answer


def _download(
    spec: Spec,
    base_url: str,
    credentials: _Credentials,
    transport: httpx.BaseTransport | None,
    timeout: httpx.Timeout,
    deadline: float,
    max_bytes: int,
) -> httpx.Response:
    auth = _auth(spec, base_url, credentials)
    # A proxy from the environment must not see the credentials meant for a service on this machine.
    trust_env = not _is_loopback(base_url)
    with (
        httpx.Client(transport=transport, timeout=timeout, follow_redirects=True, trust_env=trust_env) as client,
        Session(
            base_url,
            service_path=spec.service_path,
            auth=auth,
            client=client,
            retry=RetryPolicy(max_attempts=1),  # an interactive command: say what failed, the user runs it again
            deadline=deadline,
            max_response_size=max_bytes,
        ) as session,
    ):
        try:
            return session.request("GET", "$metadata", headers={"Accept": "application/xml"})
        except ResponseTooLargeError as error:
            limit = "MAX_DOCUMENT_BYTES" if max_bytes == MAX_DOCUMENT_BYTES else "the limit"
            raise MetadataError(f"the answer is larger than {max_bytes} bytes ({limit}) - {error.url}") from None
        except AuthenticationError as error:
            hint = "" if credentials.token else f"; check {ENV_USERNAME} and {ENV_PASSWORD}"
            raise FetchError(f"the service refused the credentials: {error}{hint}") from None
        except ODataError as error:
            raise FetchError(f"cannot fetch $metadata: {error}") from None


def _auth(spec: Spec, base_url: str, credentials: _Credentials) -> httpx.Auth | None:
    """The runtime's auth for the spec's scheme, as a generated client would build it."""
    try:
        return resolve_auth(
            spec.auth,
            base_url,
            spec.login_path,
            username=credentials.username,
            password=credentials.password,
            token=credentials.token,
            auth=None,
        )
    except ValueError as error:  # the runtime's checks of a credential; their messages never hold its value
        raise CodegenError(f"unusable credentials: {error}") from None


def _is_loopback(url: str) -> bool:
    host = httpx.URL(url).host
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_answer(response: httpx.Response, source: str) -> None:
    """Refuse, with a message saying what came instead, an answer that is not even an XML document."""
    if not 200 <= response.status_code < 300:  # a redirect not followed (no Location), 304, ...
        raise FetchError(
            f"the service answered {response.status_code} {response.reason_phrase}, not $metadata - {source}"
        )
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower() or "none"
    body = response.content
    start = body[3:] if body.startswith(_BOMS[0]) else body
    start = start[:512].lstrip().lower()
    if content_type in ("text/html", "application/xhtml+xml") or start.startswith((b"<!doctype html", b"<html")):
        raise MetadataError(f"the answer is an HTML page (a login or error page?), not $metadata - {source}")
    if not body.startswith(_BOMS[1:]) and not start.startswith(b"<"):
        what = "empty" if not body.strip() else f"not XML (Content-Type {content_type[:60]})"
        raise MetadataError(f"the answer is {what}, not $metadata - {source}")


def _read_old(path: Path) -> bytes | None:
    try:
        with path.open("rb") as file:
            return file.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"cannot read the current document: {error.strerror}", path=str(path)) from None


def _replace_checked(spec: Spec, content: bytes, old: bytes | None, source: str) -> bool:
    """Parse `content` as the spec's document would be parsed, then rename it over the old file; False if equal."""
    target = spec.metadata
    with _temporary_beside(target, content) as temporary:
        try:
            parse_metadata(temporary, spec.references)
        except MetadataError as error:
            raise MetadataError(
                f"the answer is not usable $metadata: {_located(error, temporary)} - {source}"
            ) from None
        if old == content:
            return False
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise OutputError(f"cannot replace the document: {error.strerror}", path=str(target)) from None
    return True


def _located(error: MetadataError, temporary: Path) -> str:
    """The parser's message, the temporary file's name replaced by "line N" (a referenced file keeps its name)."""
    line = f"line {error.line}: " if error.line is not None else ""
    if error.path and error.path != str(temporary):
        return f"{error.path}: {line}{error.message}"
    return f"{line}{error.message}"


@contextlib.contextmanager
def _temporary_beside(target: Path, content: bytes) -> Iterator[Path]:
    """`content` in a new file in `target`'s directory (so a rename replaces `target` atomically); removed after,
    unless it was renamed."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".fetching")
    except OSError as error:
        raise OutputError(f"cannot write beside the document: {error.strerror}", path=str(target)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(target))
        yield temporary
    except OSError as error:
        raise OutputError(f"cannot write beside the document: {error.strerror}", path=str(target)) from None
    finally:
        temporary.unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    """The old file's permissions, else what a new file gets (mkstemp's 0600 would hide it from the team)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _report_changes(old: bytes | None, new: bytes, spec: Spec, before: Surface | None) -> str:
    """What the user is told after a fetch: whether the document changed, and how its API did (codegen diff)."""
    shown = shown_path(spec.metadata)
    new_digest = hashlib.sha256(new).hexdigest()[:12]
    if old is None:
        return f"codegen: wrote {shown} (new file, {len(new)} bytes, sha256 {new_digest})"
    if old == new:
        return f"codegen: {shown} is unchanged ({len(new)} bytes, sha256 {new_digest})"
    old_digest = hashlib.sha256(old).hexdigest()[:12]
    wrote = f"codegen: wrote {shown}: the document changed (sha256 {old_digest} -> {new_digest})"
    if before is None:
        return f"{wrote}; the file it replaced did not parse, so there is no API diff"
    try:
        after = surface_of_spec(spec)
    except CodegenError as exc:  # the document is valid V4 (it was parsed), but the spec no longer fits it
        return f"{wrote}; no API diff: the spec does not fit the new document: {exc}"
    changes = compare(before, after)
    return f"{wrote}\n{render(changes, 'text').rstrip()}" + ("\ncodegen: regenerate to apply it" if changes else "")


def _surface(spec: Spec) -> Surface | None:
    """The API of the document about to be replaced; None when it does not parse (the fetch then repairs it)."""
    try:
        return surface_of_spec(spec)
    except CodegenError:
        return None
