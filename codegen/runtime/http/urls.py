"""Service-root URLs: building the root, resolving paths and links against it, and origin checks.

Text is never re-encoded here: paths and query strings arrive percent-encoded by the query layer (or as the
server wrote them in a nextLink) and leave byte for byte, so `%20` stays `%20` and nothing becomes `+`.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urljoin

import httpx

from .errors import redact_url

__all__ = ["is_absolute", "normal_url", "origin", "resolve", "resolve_link", "same_origin", "service_root"]

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def service_root(base_url: str, service_path: str = "/") -> str:
    """`https://acme.aimbase.com/` + `odata/V2/` -> `https://acme.aimbase.com/odata/V2` (no trailing slash)."""
    if not is_absolute(base_url):
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    parsed = httpx.URL(base_url)
    if not parsed.host:
        raise ValueError(f"base_url has no host: {redact_url(parsed)!r}")
    if parsed.query or parsed.fragment:
        raise ValueError(f"base_url must not have a query or fragment: {redact_url(parsed)!r}")
    path = service_path.strip("/")
    return base_url.rstrip("/") + (f"/{path}" if path else "")


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
    return f"{root}/{path_or_url.lstrip('/')}"


def resolve_link(root: str, link: str) -> str:
    """A link the server wrote (`@odata.nextLink`), resolved with RFC 3986 rules against `{root}/`.

    OData JSON 4.0 section 4.3 makes relative URLs relative to the context URL, which is `{root}/$metadata#...`,
    so its base directory is the service root: `Leads?$skiptoken=2` -> `{root}/Leads?$skiptoken=2`,
    `/odata/V2/Leads?$skiptoken=2` -> `{scheme}://{host}/odata/V2/Leads?$skiptoken=2`, and an absolute link
    stays as it is. The origin is not checked here (`same_origin`).
    """
    return urljoin(f"{root}/", link)
