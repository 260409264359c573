"""Service-root URLs: building the root, resolving paths and links against it, and origin checks.

Text is never re-encoded here: paths and query strings arrive percent-encoded by the query layer (or as the
server wrote them in a nextLink) and leave byte for byte, so `%20` stays `%20` and nothing becomes `+`.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote, unquote, urljoin

import httpx

from .errors import ClientValidationError, redact_url

__all__ = [
    "check_path",
    "is_absolute",
    "normal_url",
    "origin",
    "path_segment",
    "resolve",
    "resolve_link",
    "same_origin",
    "service_root",
    "url_on_root",
]

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
# What a configured path (service path, login path) may hold: RFC 3986 pchar and "/", nothing that ends the
# path ("?", "#"), no backslash (some servers read it as "/"), no spaces or control characters.
_PATH_TEXT: Final = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*")
# Characters a path segment keeps as they are: unreserved, and the OData punctuation of keys and calls.
_SEGMENT_SAFE: Final = "'(),:$@*!=&;+"


def check_path(path: str, what: str, *, leading_slash: bool = True) -> str:
    """`path` if it is a plain absolute path (`/odata/V2`); ClientValidationError otherwise.

    Refused: no leading `/` (when `leading_slash`), `//` at the start (a network-path reference: another
    host), a scheme, `?`, `#`, `\\`, spaces, control characters, and `.` or `..` segments (also
    percent-encoded), which would climb out of the service root.
    """
    if not isinstance(path, str):
        raise ClientValidationError(f"{what} must be a str, not {type(path).__name__}")
    problem = _path_problem(path, leading_slash)
    if problem:
        raise ClientValidationError(f"{what} {path[:100]!r} is not an absolute path: {problem}")
    return path


def _path_problem(path: str, leading_slash: bool) -> str | None:
    if leading_slash and not path.startswith("/"):
        return "it must start with '/'"
    if path.startswith("//"):
        return "'//' would name another host"
    if not _PATH_TEXT.fullmatch(path):
        return "it holds a character a path cannot ('?', '#', '\\', a space, a control or non-ASCII character)"
    if ":" in path.lstrip("/").partition("/")[0]:
        return "it looks like a URL (a ':' in its first segment)"
    if any(unquote(segment) in (".", "..") for segment in path.split("/")):
        return "'.' and '..' segments are not allowed"
    return None


def service_root(base_url: str, service_path: str = "/") -> str:
    """`https://acme.aimbase.com/` + `/odata/V2/` -> `https://acme.aimbase.com/odata/V2` (no trailing slash).

    The root is built by the URL library: `service_path` only ever becomes the path, below any path of
    `base_url`. Its leading `/` may be left out (`odata/V2`); anything but a plain path is refused.
    """
    parsed = _base(base_url)
    check_path(service_path, "service_path", leading_slash=False)
    return url_on_root(parsed, service_path)


def url_on_root(base: httpx.URL | str, path: str) -> str:
    """`path` (already checked) below the path of `base`, without a trailing slash; authority untouched."""
    parsed = httpx.URL(base) if isinstance(base, str) else base
    prefix = parsed.raw_path.decode("ascii").rstrip("/")
    tail = path.strip("/")
    joined = f"{prefix}/{tail}" if tail else prefix
    # raw_path keeps the percent-encoding of both parts as it is; the scheme and host are copied, not written.
    return str(parsed.copy_with(raw_path=(joined or "/").encode("ascii"))).rstrip("/")


def _base(base_url: str) -> httpx.URL:
    if not isinstance(base_url, str) or not is_absolute(base_url):
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    try:
        parsed = httpx.URL(base_url)
    except httpx.InvalidURL as error:
        raise ValueError(f"base_url is not a valid URL: {error}") from None
    if not parsed.host:
        raise ValueError(f"base_url has no host: {redact_url(parsed)!r}")
    if parsed.query or parsed.fragment or "?" in base_url or "#" in base_url:
        raise ValueError(f"base_url must not have a query or fragment: {redact_url(parsed)!r}")
    return parsed


def path_segment(text: str, what: str = "path segment") -> str:
    """`text` as one path segment: `/`, `?`, `#`, `%`, spaces and non-ASCII are percent-encoded; `.`/`..` refused.

    The one function through which names that are not already URL text (operation and function-import names,
    navigation properties) enter a request path.
    """
    if not isinstance(text, str) or not text or text in (".", ".."):
        raise ClientValidationError(f"{what} {text!r} cannot be a path segment")
    try:
        return quote(text, safe=_SEGMENT_SAFE, encoding="utf-8", errors="strict")
    except UnicodeEncodeError:
        raise ClientValidationError(f"{what} {text!r} holds a lone surrogate") from None


def is_absolute(url: str) -> bool:
    """An `http://` or `https://` URL (anything else is a path relative to the service root)."""
    return url[:8].lower().startswith(("http://", "https://"))


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in; hosts compare case-insensitively."""
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host.lower(), parsed.port or _DEFAULT_PORTS.get(parsed.scheme)


def normal_url(url: str | httpx.URL) -> str:
    """The URL as links are compared: scheme and host lowercased, default port and user information dropped.

    The path and query are kept byte for byte (`%2b` and `%2B` stay different, as a server may treat them).
    """
    parsed = httpx.URL(url)
    scheme, host, port = origin(parsed)
    port_text = "" if port == _DEFAULT_PORTS.get(scheme) else f":{port}"
    host = f"[{host}]" if ":" in host else host  # IPv6
    return f"{scheme}://{host}{port_text}{parsed.raw_path.decode('ascii')}"


def same_origin(url: str | httpx.URL, other: str | httpx.URL) -> bool:
    return origin(url) == origin(other)


def resolve(root: str, path_or_url: str) -> str:
    """The absolute URL of a request.

    A path is relative to the service root, whether or not it starts with `/`: `Leads(114)` and `/Leads(114)`
    both mean `{root}/Leads(114)`. An absolute URL is used as it is, but only on the service root's origin
    (scheme, host and port): the session's credentials are never sent elsewhere (`ValueError`).
    """
    if is_absolute(path_or_url):
        if not same_origin(path_or_url, root):
            raise ValueError(
                f"refusing to send a request to {redact_url(path_or_url)}: "
                f"not on the service's origin {redact_url(root)}"
            )
        return path_or_url
    path, mark, rest = path_or_url.partition("?")
    if "#" in path or "\\" in path or any(unquote(s) in (".", "..") for s in path.split("/")):
        # A fragment would cut the request short; `..` (even as %2E%2E) would climb out of the service root.
        raise ClientValidationError(f"refusing the request path {path[:100]!r}: it holds '#', '\\', '.' or '..'")
    return f"{root}/{path.lstrip('/')}{mark}{rest}"


def resolve_link(root: str, link: str) -> str:
    """A link the server wrote (`@odata.nextLink`), resolved with RFC 3986 rules against `{root}/`.

    OData JSON 4.0 section 4.3 makes relative URLs relative to the context URL, which is `{root}/$metadata#...`,
    so its base directory is the service root: `Leads?$skiptoken=2` -> `{root}/Leads?$skiptoken=2`,
    `/odata/V2/Leads?$skiptoken=2` -> `{scheme}://{host}/odata/V2/Leads?$skiptoken=2`, and an absolute link
    stays as it is. The origin is not checked here (`same_origin`).
    """
    return urljoin(f"{root}/", link)
